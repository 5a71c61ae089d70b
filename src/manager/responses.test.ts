// Issue 11, item 5: responses are tracked by id against a disordered provider (late, stray, duplicate,
// interleaved and shuffled events), never re-open, and cannot hold the send lock forever.
import { expect } from '@open-wc/testing';
import { duplicate, interleave, seededRandom, shuffle } from '../testing/index.js';
import type { FakeTransportEvent } from '../testing/index.js';
import { DEFAULT_RESPONSE_TIMEOUT_MS } from './index.js';
import { flush, next, setup } from '../../test/helpers/manager.js';

describe('Responses by id (issue 11, item 5)', () => {
  it('a late created or delta after done does not re-open the response', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    await manager.sendMessage('hi');
    transport.respond({ responseId: 'r1', text: 'Hello' });
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: ' again' });
    transport.emit('audio:start', { responseId: 'r1' });
    expect(manager.getState().response).to.deep.equal({ id: 'r1', status: 'completed', text: 'Hello' });
    expect(manager.getState().busy).to.equal(false);
    expect(named('realtime:assistant:start')).to.have.length(1);
    expect(named('realtime:assistant:done')).to.have.length(1);
    await manager.sendMessage('next');
  });

  it('duplicated created and done events are ignored', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hi' });
    transport.emit('assistant:done', { responseId: 'r1', text: 'Hi', status: 'completed' });
    transport.emit('assistant:done', { responseId: 'r1', text: 'Hi', status: 'completed' });
    expect(named('realtime:assistant:start')).to.have.length(1);
    expect(named('realtime:assistant:done')).to.have.length(1);
    const success = next(manager, 'realtime:reconnect:success');
    transport.loseConnection();
    await success;
    expect(transport.callsOf('connect')[1]!.request.history).to.deep.equal([{ role: 'assistant', text: 'Hi' }]);
  });

  it('a stray done for another id leaves the streaming response alone', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hel' });
    transport.emit('assistant:done', { responseId: 'stray', text: '', status: 'completed' });
    expect(manager.getState().response).to.deep.equal({ id: 'r1', status: 'responding', text: 'Hel' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'lo' });
    expect(manager.getState().response.text).to.equal('Hello');
    expect(manager.getState().busy).to.equal(true);
    transport.emit('assistant:done', { responseId: 'r1', text: 'Hello', status: 'completed' });
    expect(manager.getState().response).to.deep.equal({ id: 'r1', status: 'completed', text: 'Hello' });
    expect(named('realtime:assistant:done').map((d) => d.responseId)).to.deep.equal(['stray', 'r1']);
  });

  it('two interleaved responses: one start and one done each, every delta carries its own running text', async () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const { manager, transport, named } = setup();
      await manager.startSession();
      const a = transport.script({ responseId: 'a', deltas: ['A1 ', 'A2 ', 'A3'] }).events;
      const b = transport.script({ responseId: 'b', deltas: ['B1 ', 'B2 ', 'B3'] }).events;
      const texts: string[] = [];
      manager.on('realtime:state', ({ state }) => texts.push(`${state.response.id}:${state.response.text}`));
      transport.play(interleave(seededRandom(seed), a, b));
      const context = `seed ${seed}`;
      expect(named('realtime:assistant:start').map((s) => s.responseId).sort(), context).to.deep.equal(['a', 'b']);
      expect(named('realtime:assistant:done').map((d) => `${d.responseId}:${d.text}`).sort(), context).to.deep.equal(['a:A1 A2 A3', 'b:B1 B2 B3']);
      for (const id of ['a', 'b']) {
        const upper = id.toUpperCase();
        expect(named('realtime:assistant:delta').filter((d) => d.responseId === id).map((d) => d.text), context).to.deep.equal([
          `${upper}1 `,
          `${upper}1 ${upper}2 `,
          `${upper}1 ${upper}2 ${upper}3`,
        ]);
      }
      // The state's text never mixes the two responses.
      for (const text of texts) expect(text, context).to.match(/^(null:|a:(A\d ?)*|b:(B\d ?)*)$/);
      expect(manager.getState().busy, context).to.equal(false);
      await manager.dispose();
    }
  });

  it('shuffled, duplicated and interleaved responses: each starts and ends once, and nothing stays outstanding', async () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const random = seededRandom(seed);
      const { manager, transport, events } = setup();
      await manager.startSession();
      const scripts = ['x', 'y', 'z'].map((responseId) => transport.script({ responseId, text: 'one two three', audio: true }).events);
      const played: FakeTransportEvent[] = duplicate(shuffle(interleave(random, ...scripts), random), random);
      transport.play(played);
      const context = `seed ${seed}: ${played.map((e) => `${e.event}(${(e.payload as { responseId?: string }).responseId})`).join(' ')}`;
      for (const id of ['x', 'y', 'z']) {
        const mine = events.filter((e) => e.payload?.responseId === id).map((e) => e.event);
        expect(mine.filter((name) => name === 'realtime:assistant:start'), context).to.have.length(1);
        expect(mine.filter((name) => name === 'realtime:assistant:done'), context).to.have.length(1);
        expect(mine.indexOf('realtime:assistant:start'), context).to.be.lessThan(mine.indexOf('realtime:assistant:done'));
        expect(mine.lastIndexOf('realtime:assistant:delta'), context).to.be.lessThan(mine.indexOf('realtime:assistant:done'));
      }
      const state = manager.getState();
      expect(state.busy, context).to.equal(false);
      expect(state.response.status, context).to.not.equal('responding');
      expect(state.audioPlaying, context).to.equal(false);
      await manager.dispose();
    }
  });

  it('a response that receives nothing for responseTimeoutMs ends with response_timeout and frees the lock', async function () {
    this.timeout(3000);
    const { manager, transport, named } = setup({ responseTimeoutMs: 50 });
    await manager.startSession();
    await manager.sendMessage('hi');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hel' });
    const { error } = await next(manager, 'realtime:error');
    expect(error.code).to.equal('response_timeout');
    const state = manager.getState();
    expect(state.response).to.deep.equal({ id: 'r1', status: 'interrupted', text: 'Hel' });
    expect(state).to.deep.include({ busy: false, awaitingResponse: false });
    expect(state.lastError!.code).to.equal('response_timeout');
    expect(named('realtime:assistant:done').at(-1)).to.include({ responseId: 'r1', status: 'interrupted' });
    // The provider is asked to stop the response it may still be running.
    expect(transport.callsOf('interrupt')).to.have.length(1);
    // A late done for it changes nothing; the next turn goes through.
    transport.emit('assistant:done', { responseId: 'r1', text: 'Hello', status: 'completed' });
    expect(manager.getState().response.status).to.equal('interrupted');
    await manager.sendMessage('again');
  });

  it('a reply that never starts does not hold the lock forever', async function () {
    this.timeout(3000);
    const { manager } = setup({ responseTimeoutMs: 50 });
    await manager.startSession();
    await manager.sendMessage('hi');
    const { error } = await next(manager, 'realtime:error');
    expect(error.code).to.equal('response_timeout');
    expect(manager.getState()).to.deep.include({ busy: false, awaitingResponse: false });
    await manager.sendMessage('again');
  });

  it('a tool call whose response never ends does not leave pendingToolCalls stuck', async function () {
    this.timeout(3000);
    // Long enough that the check below never races the timeout on a loaded machine.
    const { manager, transport, named } = setup({
      responseTimeoutMs: 400,
      tools: [{ definition: { type: 'function', name: 't', parameters: { type: 'object', properties: {} } }, handler: () => ({ ok: true }) }],
    });
    await manager.startSession();
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('tool:call', { responseId: 'r1', callId: 'c1', name: 't', arguments: '{}' });
    await flush();
    expect(manager.getState().pendingToolCalls).to.equal(1);
    await next(manager, 'realtime:error');
    expect(manager.getState()).to.deep.include({ pendingToolCalls: 0, busy: false });
    expect(named('realtime:tool:error').map((e) => [e.callId, e.code])).to.deep.equal([['c1', 'aborted']]);
    // Its call id is never answered: the response that asked for it was cancelled.
    transport.emit('assistant:done', { responseId: 'r1', text: '', status: 'completed' });
    await flush();
    expect(transport.callsOf('sendToolResult')).to.have.length(0);
  });

  it('the response timeout is validated: a positive number of ms, or Infinity to turn it off (default 30 s)', () => {
    expect(DEFAULT_RESPONSE_TIMEOUT_MS).to.equal(30_000);
    expect(() => setup({ responseTimeoutMs: Infinity })).to.not.throw();
    for (const bad of [0, -1, Number.NaN, '10' as never]) {
      let error: any;
      try {
        setup({ responseTimeoutMs: bad });
      } catch (caught) {
        error = caught;
      }
      expect(error?.code, String(bad)).to.equal('invalid_argument');
    }
  });
});
