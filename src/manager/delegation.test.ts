import { expect } from '@open-wc/testing';
import { setup } from '../../test/helpers/manager.js';
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
});
