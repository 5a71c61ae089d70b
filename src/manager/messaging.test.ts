import { expect } from '@open-wc/testing';
import { flush, rejection, setup } from '../../test/helpers/manager.js';

describe('sendMessage, sendAudioChunk, interrupt', () => {
  it('reject when not active', async () => {
    const { manager } = setup();
    expect((await rejection(manager.sendMessage('hi'))).code).to.equal('session_inactive');
    expect((await rejection(manager.sendAudioChunk(new ArrayBuffer(4)))).code).to.equal('session_inactive');
    expect((await rejection(manager.interrupt())).code).to.equal('session_inactive');
  });

  it('reject while reconnecting', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    transport.hold('connect');
    transport.loseConnection();
    expect(manager.getState().connection).to.equal('connecting');
    for (const call of [manager.sendMessage('hi'), manager.sendAudioChunk(new ArrayBuffer(4)), manager.interrupt()]) {
      const error = await rejection(call);
      expect(error.code).to.equal('reconnecting');
    }
  });

  it('sendMessage sends the text and sendAudioChunk forwards bytes', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    await manager.sendMessage('hello there');
    await manager.sendAudioChunk(new ArrayBuffer(480));
    expect(transport.callsOf('sendText')).to.deep.equal([{ method: 'sendText', text: 'hello there' }]);
    expect(transport.callsOf('sendAudio')).to.deep.equal([{ method: 'sendAudio', bytes: 480 }]);
  });

  it('sendMessage refuses while a response is outstanding, saying to interrupt first', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    await manager.sendMessage('first');
    let error = await rejection(manager.sendMessage('second'));
    expect(error.code).to.equal('response_in_progress');
    expect(error.message).to.contain('interrupt()');
    transport.emit('assistant:start', { responseId: 'r1' });
    error = await rejection(manager.sendMessage('second'));
    expect(error.code).to.equal('response_in_progress');
    transport.emit('assistant:done', { responseId: 'r1', text: 'ok', status: 'completed' });
    await manager.sendMessage('second');
    expect(transport.callsOf('sendText').map((c) => c.text)).to.deep.equal(['first', 'second']);
  });

  it('sendMessage refuses while a tool call is still running', async () => {
    let release!: () => void;
    const { manager, transport } = setup({
      tools: [
        {
          definition: { type: 'function', name: 'slow', parameters: { type: 'object', properties: {} } },
          handler: () => new Promise((resolve) => (release = () => resolve({ ok: true }))),
        },
      ],
    });
    await manager.startSession();
    transport.respond({ toolCalls: [{ name: 'slow', arguments: {} }] });
    expect(manager.getState().pendingToolCalls).to.equal(1);
    expect((await rejection(manager.sendMessage('x'))).code).to.equal('response_in_progress');
    release();
    await flush();
    expect(manager.getState().pendingToolCalls).to.equal(0);
  });

  it('sendMessage rejects an empty text with invalid_argument', async () => {
    const { manager } = setup();
    await manager.startSession();
    expect((await rejection(manager.sendMessage('  '))).code).to.equal('invalid_argument');
    expect((await rejection(manager.sendMessage(42 as never))).code).to.equal('invalid_argument');
  });

  it('a failed send releases the lock', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    transport.failNext('sendText', new Error('channel closed'));
    const error = await rejection(manager.sendMessage('a'));
    expect(error.message).to.contain('channel closed');
    expect(manager.getState().awaitingResponse).to.equal(false);
    await manager.sendMessage('b');
  });

  it('interrupt marks the response interrupted keeping partial text, ends audio and releases the lock', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    await manager.sendMessage('tell me a story');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('audio:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Once upon' });
    await manager.interrupt();
    expect(transport.callsOf('interrupt')).to.have.length(1);
    expect(manager.getState().response).to.deep.equal({ id: 'r1', status: 'interrupted', text: 'Once upon' });
    expect(manager.getState().audioPlaying).to.equal(false);
    expect(named('tts:audio:end')).to.deep.equal([{ sessionId: 'session-1', responseId: undefined, reason: 'interrupted' }]);
    expect(named('realtime:assistant:done').at(-1)).to.include({ responseId: 'r1', status: 'interrupted', text: 'Once upon' });
    await manager.sendMessage('another');
  });

  it('after interrupt, late events of the old response are dropped and the next turn starts clean', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    await manager.sendMessage('one');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'partial' });
    await manager.interrupt();
    transport.emit('assistant:delta', { responseId: 'r1', delta: ' late' });
    transport.emit('audio:start', { responseId: 'r1' });
    transport.emit('assistant:done', { responseId: 'r1', text: 'partial late', status: 'cancelled' });
    expect(manager.getState().audioPlaying).to.equal(false);
    expect(named('realtime:assistant:done')).to.have.length(1);
    await manager.sendMessage('two');
    transport.respond({ responseId: 'r2', text: 'fresh' });
    expect(manager.getState().response).to.deep.equal({ id: 'r2', status: 'completed', text: 'fresh' });
    expect(named('realtime:assistant:delta').filter((d) => d.responseId === 'r2').map((d) => d.text)).to.deep.equal(['fresh']);
  });
});
