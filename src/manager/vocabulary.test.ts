// Issue 11, item 13 (manager side): one error-code vocabulary (snake_case, every thrown error has a
// code), `text` means the same in every event, one name per type.
import { expect } from '@open-wc/testing';
import { createRealtimeManager, RealtimeError } from './index.js';
import type { RealtimeFunctionToolDefinition } from './index.js';
import { FakeRealtimeTransport } from '../testing/index.js';
import { next, rejection, setup } from '../../test/helpers/manager.js';

const SNAKE = /^[a-z]+(_[a-z]+)*$/;

function thrown(act: () => unknown): any {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('One vocabulary (issue 11, item 13)', () => {
  it('the session ends with reason reconnect_exhausted, the same word as the error code', async () => {
    const { manager, transport, named } = setup({ reconnect: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    await manager.startSession();
    transport.failNext('connect');
    const ended = next(manager, 'realtime:session:end');
    transport.loseConnection();
    expect((await ended).reason).to.equal('reconnect_exhausted');
    expect(named('realtime:error')[0].error.code).to.equal('reconnect_exhausted');
  });

  it('every error the manager throws is a RealtimeError with a snake_case code', async () => {
    const transport = new FakeRealtimeTransport();
    const synchronous = [
      () => createRealtimeManager(transport, { reconnect: { maxAttempts: -1 } }),
      () => createRealtimeManager(transport, { reconnect: { jitter: 2 } }),
      () => createRealtimeManager(transport, { toolTimeoutMs: 0 }),
      () => createRealtimeManager(transport, { tools: [{ definition: { type: 'function', name: 'bad name', parameters: {} }, handler: () => ({}) }] }),
      () => setup().manager.registerTool(null as never),
      () => setup().manager.registerTool({ definition: { type: 'function', name: 'x', parameters: { type: 'string' } }, handler: () => ({}) }),
      () => setup().manager.registerTool({ definition: { type: 'function', name: 'x', parameters: 5 as never }, handler: () => ({}) }),
      () => setup().manager.registerTool({ definition: { type: 'function', name: 'x', parameters: {} } } as never),
      () => setup().manager.registerTool({ definition: { type: 'function', name: 'x', parameters: {} }, handler: () => ({}), timeoutMs: -5 }),
      () => setup().manager.setCharacter({} as never),
    ];
    for (const act of synchronous) {
      const error = thrown(act);
      expect(error, String(act)).to.be.instanceOf(RealtimeError);
      expect(error.code, String(act)).to.match(SNAKE);
    }
    const { manager } = setup();
    const asynchronous = [manager.sendMessage('hi'), manager.updateSession({ speed: 9 }), manager.startTalking()];
    for (const promise of asynchronous) {
      const error = await rejection(promise);
      expect(error).to.be.instanceOf(RealtimeError);
      expect(error.code).to.match(SNAKE);
    }
  });

  it('one event per assistant delta: `delta` is the new piece, `text` the running text', async () => {
    const { manager, transport, events } = setup();
    await manager.startSession();
    transport.emit('assistant:start', { responseId: 'r1' });
    const before = events.length;
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hel' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'lo' });
    const fired = events.slice(before).filter((e) => e.event !== 'realtime:state');
    expect(fired).to.deep.equal([
      { event: 'realtime:assistant:delta', payload: { sessionId: 'session-1', responseId: 'r1', delta: 'Hel', text: 'Hel' } },
      { event: 'realtime:assistant:delta', payload: { sessionId: 'session-1', responseId: 'r1', delta: 'lo', text: 'Hello' } },
    ]);
    transport.emit('assistant:done', { responseId: 'r1', text: 'Hello', status: 'completed' });
    expect(events.findLast((e) => e.event === 'realtime:assistant:done')!.payload.text).to.equal('Hello');
  });

  it('tool definitions have one type name: RealtimeFunctionToolDefinition', () => {
    const { manager } = setup({
      tools: [{ definition: { type: 'function', name: 'x', parameters: { type: 'object', properties: {} } }, handler: () => ({}) }],
    });
    const definitions: readonly RealtimeFunctionToolDefinition[] = manager.getRegisteredTools();
    expect(definitions.map((definition) => definition.name)).to.deep.equal(['x']);
  });
});
