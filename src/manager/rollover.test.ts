// Sessions longer than the provider allows: a scheduled rollover waits for a pause, hands the
// conversation over, never shows a gap in the state, and holds actions for the switch; a failure before
// the hand-over leaves the session as it was; the provider's cap (session_expired) is recovered at once.
import { expect } from '@open-wc/testing';
import { next, rejection, setup } from '../../test/helpers/manager.js';
import { OpenAIServerError } from '../transports/protocol/server-error.js';
import type { RealtimeState } from './types.js';

const SOON = { afterMs: 30, retryDelayMs: 30 };

/** Every published state, to check that none showed a gap. */
function states(manager: { on(event: 'realtime:state', handler: (payload: { state: RealtimeState }) => void): () => void }) {
  const seen: RealtimeState[] = [];
  manager.on('realtime:state', ({ state }) => seen.push(state));
  return seen;
}

/** Resolves once the fake transport's `method` has been called (polled, not a fixed wait). */
function untilCalled(transport: { callsOf(method: string): unknown[] }, method: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => (transport.callsOf(method).length ? resolve() : setTimeout(check, 5));
    check();
  });
}

describe('session rollover', () => {
  it('after afterMs, at a pause: the conversation is handed over and the state never leaves connected', async () => {
    const { manager, transport, named } = setup({ rollover: SOON });
    await manager.startSession();
    const seen = states(manager);
    await manager.sendMessage('first');
    transport.respond({ responseId: 'r1', text: 'answer one' });
    const rolled = await next(manager, 'realtime:session:rollover');
    expect(rolled).to.deep.include({ reason: 'scheduled', replayedTurns: 2 });
    expect(transport.callsOf('handover')[0]!.history).to.deep.equal([
      { role: 'user', text: 'first' },
      { role: 'assistant', text: 'answer one' },
    ]);
    expect(seen.every((s) => s.connection === 'connected' && !s.reconnecting && s.session.status === 'active')).to.equal(true);
    expect(named('realtime:session:start')).to.have.length(1);
    expect(transport.callsOf('connect')).to.have.length(1);
    expect(manager.getMetrics().connects.map((c) => c.reason)).to.deep.equal(['start', 'rollover']);
    // And again after another afterMs: every provider session is rolled over before its cap.
    await next(manager, 'realtime:session:rollover');
    await manager.stopSession();
  });

  it('never mid-reply: the hand-over waits for the reply, its audio and the tool calls to finish', async () => {
    const { manager, transport } = setup({ rollover: SOON });
    await manager.startSession();
    await manager.sendMessage('long one');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('audio:start', { responseId: 'r1' });
    const rolled = next(manager, 'realtime:session:rollover');
    await untilCalled(transport, 'rollover');
    // Time for a wrong hand-over to happen (a late timer only gives it more).
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(transport.callsOf('rollover'), 'the new session is prepared meanwhile').to.have.length(1);
    expect(transport.callsOf('handover'), 'but not handed over mid-reply').to.have.length(0);
    transport.emit('assistant:done', { responseId: 'r1', text: 'done talking', status: 'completed' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(transport.callsOf('handover'), 'audio still plays').to.have.length(0);
    transport.emit('audio:end', { responseId: 'r1', reason: 'stopped' });
    await rolled;
    expect(transport.callsOf('handover')[0]!.history.at(-1)).to.deep.equal({ role: 'assistant', text: 'done talking' });
    await manager.stopSession();
  });

  it('not while the user speaks or holds push-to-talk', async () => {
    const { manager, transport } = setup({ rollover: SOON });
    await manager.startSession();
    transport.emit('user:speech-start', {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(transport.callsOf('handover')).to.have.length(0);
    const rolled = next(manager, 'realtime:session:rollover');
    transport.emit('user:speech-stop', {});
    await rolled;
    await manager.stopSession();
  });

  it('an action during the switch waits for it (never refused), then reaches the new session', async () => {
    const { manager, transport } = setup({ rollover: { afterMs: 10 } });
    await manager.startSession();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Hold the switch open: the fake's hand-over resolves, then its session:opened waits on the gate.
    const original = transport.rollover!;
    transport.rollover = async (request, signal) => original({ ...request, handover: async () => { const turns = await request.handover(); await gate; return turns; } }, signal);
    await untilCalled(transport, 'rollover');
    await new Promise((resolve) => setTimeout(resolve, 20));
    let sent = false;
    const sending = manager.sendMessage('during the switch').then(() => (sent = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).to.equal(false);
    expect(transport.callsOf('sendText')).to.have.length(0);
    release();
    await sending;
    const order = transport.calls.map((c) => c.method).filter((m) => m === 'handover' || m === 'sendText');
    expect(order).to.deep.equal(['handover', 'sendText']);
    await manager.stopSession();
  });

  it('a failure before the hand-over keeps the session as it was and tries again later', async () => {
    const { manager, transport, named } = setup({ rollover: SOON });
    await manager.startSession();
    transport.failNext('rollover', new Error('route said no'));
    await next(manager, 'realtime:session:rollover');
    expect(transport.callsOf('rollover')).to.have.length(2);
    expect(named('realtime:error')).to.deep.equal([]);
    expect(named('realtime:reconnect:attempt')).to.deep.equal([]);
    await manager.stopSession();
  });

  it('a transport without rollover() is switched by connect() at a pause, with the conversation', async () => {
    const { manager, transport } = setup({ rollover: SOON }, { rollover: false });
    await manager.startSession();
    const seen = states(manager);
    await manager.sendMessage('remember me');
    transport.respond({ responseId: 'r1', text: 'I will' });
    await next(manager, 'realtime:session:rollover');
    const [, second] = transport.callsOf('connect');
    expect(second!.request.reason).to.equal('reconnect');
    expect(second!.request.history).to.deep.equal([
      { role: 'user', text: 'remember me' },
      { role: 'assistant', text: 'I will' },
    ]);
    expect(seen.every((s) => s.connection === 'connected')).to.equal(true);
    await manager.stopSession();
  });

  it('stop during a rollover gives it up; setRollover(false) turns it off', async () => {
    const { manager, transport } = setup({ rollover: SOON });
    await manager.startSession();
    const held = transport.hold('rollover');
    await held.reached;
    await manager.stopSession();
    expect(held.signal!.aborted).to.equal(true);

    manager.setRollover(false);
    await manager.startSession();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(transport.callsOf('rollover')).to.have.length(1);
    expect(() => manager.setRollover({ afterMs: -5 })).to.throw().with.property('code', 'invalid_argument');
    await manager.stopSession();
  });

  describe('at the provider cap (session_expired)', () => {
    it('is recovered at once: no realtime:error, no reconnecting, the cut reply kept, the conversation replayed', async () => {
      const { manager, transport, named } = setup({ rollover: false });
      await manager.startSession();
      const seen = states(manager);
      await manager.sendMessage('tell me a long story');
      transport.emit('assistant:start', { responseId: 'r1' });
      transport.emit('assistant:delta', { responseId: 'r1', delta: 'Once upon a ' });
      const error = new OpenAIServerError('Your session hit the maximum duration of 60 minutes.', { providerCode: 'session_expired', type: 'invalid_request_error' });
      transport.emit('error', { error, code: 'session_expired' });
      const rolled = next(manager, 'realtime:session:rollover');
      transport.loseConnection('socket-closed');
      expect(await rolled).to.deep.include({ reason: 'expired', replayedTurns: 2 });
      expect(named('realtime:error')).to.deep.equal([]);
      expect(named('realtime:reconnect:attempt')).to.deep.equal([]);
      expect(seen.every((s) => s.connection === 'connected' && !s.reconnecting)).to.equal(true);
      const [, second] = transport.callsOf('connect');
      expect(second!.request.history).to.deep.equal([
        { role: 'user', text: 'tell me a long story' },
        { role: 'assistant', text: 'Once upon a ', interrupted: true },
      ]);
      expect(named('realtime:assistant:done').at(-1)).to.deep.include({ responseId: 'r1', status: 'interrupted' });
      await manager.sendMessage('go on');
      expect(manager.getState().lastError).to.equal(null);
      await manager.stopSession();
    });

    it('if the fresh session cannot be opened, the usual reconnect takes over (visibly)', async () => {
      const { manager, transport, named } = setup({ rollover: false });
      await manager.startSession();
      transport.emit('error', { error: new OpenAIServerError('cap', { providerCode: 'session_expired' }), code: 'session_expired' });
      transport.failNext('connect', new Error('route down'));
      const success = next(manager, 'realtime:reconnect:success');
      transport.loseConnection('socket-closed');
      await success;
      expect(named('realtime:reconnect:attempt').length).to.be.greaterThan(0);
      expect(named('realtime:session:rollover')).to.deep.equal([]);
      await manager.stopSession();
    });

    it('another provider error is still the page’s business', async () => {
      const { manager, transport, named } = setup({ rollover: false });
      await manager.startSession();
      transport.emit('error', { error: new OpenAIServerError('slow down', { providerCode: 'rate_limit_exceeded' }), code: 'rate_limit_exceeded' });
      expect(named('realtime:error')).to.have.length(1);
      expect((await rejection(Promise.reject(named('realtime:error')[0].error))).message).to.contain('slow down');
      await manager.stopSession();
    });
  });
});
