// Issue 11, item 1: while a drop (or a stop) is being handled, no snapshot may say "connected and free
// to send". The attack: a subscriber that sends whenever a snapshot allows it, on every event.
import { expect } from '@open-wc/testing';
import type { RealtimeManager } from './index.js';
import { flush, next, setup } from '../../test/helpers/manager.js';

/** Sends on every event whose snapshot looks free; records what the manager accepted. */
function greedySender(manager: RealtimeManager) {
  const accepted: string[] = [];
  let armed = false;
  manager.onAny((event) => {
    if (!armed) return;
    const state = manager.getState();
    const looksFree =
      state.session.status === 'active' &&
      state.connection === 'connected' &&
      !state.awaitingResponse &&
      state.response.status !== 'responding' &&
      state.pendingToolCalls === 0;
    if (!looksFree) return;
    manager.sendMessage(`sent on ${event}`).then(
      () => accepted.push(event),
      () => {},
    );
  });
  return {
    accepted,
    arm: () => (armed = true),
    disarm: () => (armed = false),
  };
}

/** Every `realtime:state` snapshot published from now on. */
function snapshots(manager: RealtimeManager) {
  const seen: Array<ReturnType<RealtimeManager['getState']>> = [];
  manager.on('realtime:state', ({ state }) => seen.push(state));
  return seen;
}

describe('State during a drop or a stop (issue 11, item 1)', () => {
  it('a loss mid-response: no snapshot offers the dying link, and no send is accepted into it', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    await manager.sendMessage('hi');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('audio:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hel' });
    const greedy = greedySender(manager);
    const seen = snapshots(manager);
    greedy.arm();
    const held = transport.hold('connect');
    transport.loseConnection('ice-failed');
    await held.reached;
    await flush();
    expect(greedy.accepted).to.deep.equal([]);
    expect(transport.callsOf('sendText').map((call) => call.text)).to.deep.equal(['hi']);
    expect(seen.length).to.be.greaterThan(0);
    for (const state of seen) expect(state.connection, JSON.stringify(state)).to.equal('connecting');
    // The loss reached the state in the snapshot that closed the response and ended the audio.
    expect(seen[0]).to.deep.include({ reconnecting: true, audioPlaying: false });
    expect(seen[0]!.response.status).to.equal('interrupted');
    greedy.disarm();
    const success = next(manager, 'realtime:reconnect:success');
    held.resolve();
    await success;
  });

  it('a loss in the audio tail (reply completed, voice still playing) offers no free snapshot either', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    await manager.sendMessage('hi');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('audio:start', { responseId: 'r1' });
    transport.emit('assistant:done', { responseId: 'r1', text: 'Hello', status: 'completed' });
    expect(manager.getState().audioPlaying).to.equal(true);
    const greedy = greedySender(manager);
    const seen = snapshots(manager);
    greedy.arm();
    const held = transport.hold('connect');
    transport.loseConnection('data-channel-closed');
    await held.reached;
    await flush();
    expect(greedy.accepted).to.deep.equal([]);
    expect(transport.callsOf('sendText')).to.have.length(1);
    for (const state of seen) expect(state.connection).to.equal('connecting');
    greedy.disarm();
    held.resolve();
  });

  it('a loss while a tool call is pending offers no free snapshot', async () => {
    const { manager, transport } = setup({
      tools: [
        {
          definition: { type: 'function', name: 'slow', parameters: { type: 'object', properties: {} } },
          handler: () => new Promise(() => {}),
        },
      ],
    });
    await manager.startSession();
    transport.respond({ responseId: 'r1', toolCalls: [{ name: 'slow', arguments: {} }] });
    await flush();
    expect(manager.getState().pendingToolCalls).to.equal(1);
    const greedy = greedySender(manager);
    const seen = snapshots(manager);
    greedy.arm();
    const held = transport.hold('connect');
    transport.loseConnection('peer-closed');
    await held.reached;
    await flush();
    expect(greedy.accepted).to.deep.equal([]);
    expect(transport.callsOf('sendText')).to.have.length(0);
    for (const state of seen) expect(state.connection).to.equal('connecting');
    greedy.disarm();
    held.resolve();
  });

  it('stopSession mid-response: no snapshot says connected while the link is being closed', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    await manager.sendMessage('hi');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('audio:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hel' });
    const greedy = greedySender(manager);
    const seen = snapshots(manager);
    greedy.arm();
    await manager.stopSession();
    await flush();
    expect(greedy.accepted).to.deep.equal([]);
    expect(transport.callsOf('sendText')).to.have.length(1);
    for (const state of seen) expect(state.connection).to.not.equal('connected');
  });

  for (const [label, act] of [
    ['interrupt()', (m: RealtimeManager) => m.interrupt()],
    ['stopSession()', (m: RealtimeManager) => m.stopSession()],
  ] as const) {
    it(`${label} publishes one snapshot with all of it, then the events it caused`, async () => {
      const { manager, transport, events } = setup();
      await manager.startSession();
      await manager.sendMessage('hi');
      transport.emit('assistant:start', { responseId: 'r1' });
      transport.emit('audio:start', { responseId: 'r1' });
      transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hel' });
      const from = events.length;
      await act(manager);
      // realtime:metrics (the turn's measurements) follows the done it measures; not part of this contract.
      const after = events.slice(from).map((e) => e.event).filter((name) => name !== 'realtime:metrics');
      const firstEvent = after.findIndex((name) => name !== 'realtime:state');
      expect(after[0]).to.equal('realtime:state');
      const first = events[from]!.payload.state;
      expect(first.response.status).to.equal('interrupted');
      expect(first).to.deep.include({ audioPlaying: false, busy: false, awaitingResponse: false });
      // Only one snapshot before the events: no intermediate state was published.
      expect(firstEvent).to.equal(1);
      expect(after.slice(1, 4)).to.deep.equal(['realtime:assistant:done', 'tts:lipsync:update', 'tts:audio:end']);
    });
  }

  it('a response timeout publishes one snapshot with all of it, then the events it caused', async function () {
    this.timeout(3000);
    const { manager, transport, events } = setup({ responseTimeoutMs: 40 });
    await manager.startSession();
    await manager.sendMessage('hi');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('audio:start', { responseId: 'r1' });
    const from = events.length;
    await next(manager, 'realtime:error');
    const after = events.slice(from).map((e) => e.event).filter((name) => name !== 'realtime:metrics');
    expect(after).to.deep.equal(['realtime:state', 'realtime:assistant:done', 'tts:lipsync:update', 'tts:audio:end', 'realtime:error']);
    expect(events[from]!.payload.state).to.deep.include({ audioPlaying: false, busy: false });
    expect(events[from]!.payload.state.lastError.code).to.equal('response_timeout');
  });
});
