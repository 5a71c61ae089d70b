import { expect } from '@open-wc/testing';
import { next, setup } from '../../test/helpers/manager.js';
import { createRealtimeManager } from './index.js';
import { FakeRealtimeTransport } from '../testing/index.js';

describe('Delegations and GPT-Live events (fake transport scripting Live-style events)', () => {
  it('relays a delegation, answers it through the transport, and tags commentary and the final answer', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    const id = transport.delegate('client');
    expect(named('realtime:delegation')).to.deep.equal([{ sessionId: 'session-1', delegationId: id, target: 'client' }]);
    transport.respond({ text: 'One moment.', phase: 'commentary' });
    await manager.answerDelegation(id, 'Thinking about it.', { kind: 'thinking' });
    expect(manager.getState().awaitingResponse).to.equal(false, 'silent thinking asks for no reply');
    await manager.answerDelegation(id, 'It is nine.');
    expect(manager.getState().awaitingResponse).to.equal(true, 'commentary is spoken: the page awaits it');
    transport.respond({ text: 'It is nine.', phase: 'final' });
    expect(transport.callsOf('answerDelegation')).to.deep.equal([
      { method: 'answerDelegation', delegationId: id, content: 'Thinking about it.', kind: 'thinking' },
      { method: 'answerDelegation', delegationId: id, content: 'It is nine.', kind: 'commentary' },
    ]);
    expect(named('realtime:assistant:start').map((e) => e.phase)).to.deep.equal(['commentary', 'final']);
    expect(named('realtime:assistant:delta').every((e) => e.phase !== undefined)).to.equal(true);
    expect(named('realtime:assistant:done').map((e) => [e.phase, e.text])).to.deep.equal([
      ['commentary', 'One moment.'],
      ['final', 'It is nine.'],
    ]);
    expect(manager.getState().response.phase).to.equal('final');
  });

  it('relays usage by the second next to token usage', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    transport.reportUsageSeconds(12.5, 0.02);
    expect(named('realtime:usage')).to.deep.equal([{ sessionId: 'session-1', usage: { seconds: 12.5, contextUsageRatio: 0.02 } }]);
  });

  it('refuses bad answers before the transport sees them, and says when the transport has no delegations', async () => {
    const { manager, transport } = setup();
    const codeOf = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        const { code, cause } = error as { code?: string; cause?: { code?: string } };
        return cause?.code ? `${code}/${cause.code}` : code;
      }
      return 'resolved';
    };
    expect(await codeOf(manager.answerDelegation('del_1', 'hi'))).to.equal('session_inactive');
    await manager.startSession();
    expect(await codeOf(manager.answerDelegation('', 'hi'))).to.equal('invalid_argument');
    expect(await codeOf(manager.answerDelegation('del_1', '   '))).to.equal('invalid_argument');
    expect(await codeOf(manager.answerDelegation('del_1', 'hi', { kind: 'shout' as never }))).to.equal('invalid_argument');
    transport.failNext('answerDelegation', Object.assign(new Error('unknown delegation'), { code: 'unknown_delegation' }));
    expect(await codeOf(manager.answerDelegation('del_1', 'hi'))).to.equal('transport_error/unknown_delegation');
    expect(manager.getState().awaitingResponse).to.equal(false, 'a refused answer leaves nothing awaited');
    expect(transport.callsOf('answerDelegation')).to.have.length(1);

    const plain = new FakeRealtimeTransport();
    (plain as { answerDelegation?: unknown }).answerDelegation = undefined;
    const other = createRealtimeManager(plain, { network: { isOnline: () => true, onOnline: () => () => {} } });
    await other.startSession();
    expect(await codeOf(other.answerDelegation('del_1', 'hi'))).to.equal('unsupported');
    await other.dispose();
  });

  it('drops a malformed delegation (no id, an unknown target) and logs it', async () => {
    const warned: string[] = [];
    const quiet = () => {};
    const { manager, transport, named } = setup({ logger: { debug: quiet, info: quiet, warn: (message: string) => warned.push(message), error: quiet } });
    await manager.startSession();
    transport.emit('delegation', { delegationId: '', target: 'client' });
    transport.emit('delegation', { delegationId: 'del_1', target: 'someone' as never });
    transport.emit('delegation', undefined as never);
    expect(named('realtime:delegation')).to.deep.equal([]);
    expect(warned.filter((message) => message === 'dropped a malformed delegation event')).to.have.length(3);
    transport.delegate('responses', { delegationId: 'del_2', responseId: 'resp_2' });
    expect(named('realtime:delegation')).to.deep.equal([{ sessionId: 'session-1', delegationId: 'del_2', target: 'responses', responseId: 'resp_2' }]);
  });

  it('a spoken answer holds the send lock like a tool result, and the response timeout releases it', async () => {
    const { manager, transport } = setup({ responseTimeoutMs: 40 });
    await manager.startSession();
    const id = transport.delegate('client');
    await manager.answerDelegation(id, 'It is nine.');
    expect(manager.getState().busy).to.equal(true, 'the page awaits the spoken answer');
    const error = await next(manager, 'realtime:error');
    expect(error.error.code).to.equal('response_timeout');
    expect(manager.getState().busy).to.equal(false);
  });

  it('interleaved responses keep their own phase, in their events and in the state', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    transport.emit('assistant:start', { responseId: 'c', phase: 'commentary' });
    transport.emit('assistant:start', { responseId: 'f', phase: 'final' });
    transport.emit('assistant:start', { responseId: 'x', phase: 'shouting' as never });
    transport.emit('assistant:delta', { responseId: 'c', delta: 'Checking.' });
    transport.emit('assistant:delta', { responseId: 'f', delta: 'Nine.' });
    expect(manager.getState().response).to.deep.equal({ id: 'x', status: 'responding', text: '' }, 'an unknown phase is left out');
    transport.emit('assistant:done', { responseId: 'x', text: '', status: 'completed' });
    expect(manager.getState().response.phase).to.equal('final', 'the latest open response is shown again');
    transport.emit('assistant:done', { responseId: 'c', text: 'Checking.', status: 'completed' });
    expect(named('realtime:assistant:delta').map((e) => [e.responseId, e.phase])).to.deep.equal([
      ['c', 'commentary'],
      ['f', 'final'],
    ]);
    expect(named('realtime:assistant:done').map((e) => [e.responseId, e.phase])).to.deep.equal([
      ['x', undefined],
      ['c', 'commentary'],
    ]);
    await manager.interrupt();
    expect(named('realtime:assistant:done').at(-1)).to.include({ responseId: 'f', phase: 'final', status: 'interrupted' });
    expect(Object.isFrozen(manager.getState().response)).to.equal(true);
  });
});
