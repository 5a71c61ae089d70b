import { expect } from '@open-wc/testing';
import { flush, setup } from '../../test/helpers/manager.js';

describe('Events', () => {
  it('relays a turn with response ids: user transcript, assistant start/delta/done, usage, audio, lipsync', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    transport.emit('user:transcript', { itemId: 'i1', text: 'Hel', final: false });
    transport.emit('user:transcript', { itemId: 'i1', text: 'Hello', final: true });
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('audio:start', { responseId: 'r1' });
    transport.emit('lipsync', { level: 0.4 });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hi!' });
    transport.emit('audio:end', { responseId: 'r1', reason: 'stopped' });
    transport.emit('usage', { responseId: 'r1', usage: { totalTokens: 12, inputTokens: 5, outputTokens: 7 } });
    transport.emit('assistant:done', { responseId: 'r1', text: 'Hi!', status: 'completed' });
    expect(named('realtime:user:transcript')).to.deep.equal([
      { sessionId: 'session-1', itemId: 'i1', text: 'Hel', final: false },
      { sessionId: 'session-1', itemId: 'i1', text: 'Hello', final: true },
    ]);
    expect(named('realtime:assistant:start')).to.deep.equal([{ sessionId: 'session-1', responseId: 'r1' }]);
    expect(named('realtime:assistant:delta')).to.deep.equal([{ sessionId: 'session-1', responseId: 'r1', delta: 'Hi!', text: 'Hi!' }]);
    // One event per delta: realtime:text:delta (whose `text` was the piece) is gone.
    expect(named('realtime:text:delta')).to.deep.equal([]);
    expect(named('realtime:assistant:done')).to.deep.equal([{ sessionId: 'session-1', responseId: 'r1', text: 'Hi!', status: 'completed' }]);
    expect(named('tts:audio:start')).to.deep.equal([{ sessionId: 'session-1', responseId: 'r1' }]);
    expect(named('tts:audio:end')).to.deep.equal([{ sessionId: 'session-1', responseId: 'r1', reason: 'stopped' }]);
    // The mouth closes before the audio ends.
    expect(named('tts:lipsync:update')).to.deep.equal([{ rms: 0.4 }, { rms: 0 }]);
    expect(named('realtime:usage')).to.deep.equal([{ sessionId: 'session-1', responseId: 'r1', usage: { totalTokens: 12, inputTokens: 5, outputTokens: 7 } }]);
  });

  it('relays the idle timeout with how long the silence lasted; offsets that make no sense are left out', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    transport.emit('idle:timeout', { itemId: 'i2', audioStartMs: 1000, audioEndMs: 6020 });
    transport.emit('idle:timeout', {});
    transport.emit('idle:timeout', { itemId: 'i3', audioStartMs: 10, audioEndMs: 5 });
    transport.emit('idle:timeout', { itemId: 5 as never, audioStartMs: Number.NaN, audioEndMs: 1 });
    expect(named('realtime:idle:timeout')).to.deep.equal([
      { sessionId: 'session-1', itemId: 'i2', silenceMs: 5020 },
      { sessionId: 'session-1' },
      { sessionId: 'session-1', itemId: 'i3' },
      { sessionId: 'session-1' },
    ]);
    // Nothing else changes: the provider answers the silence itself.
    expect(manager.getState().awaitingResponse).to.equal(false);
  });

  it('on(name) returns an unsubscribe', async () => {
    const { manager, transport } = setup();
    const seen: string[] = [];
    const off = manager.on('realtime:assistant:delta', ({ delta }) => seen.push(delta));
    await manager.startSession();
    transport.emit('assistant:delta', { responseId: 'r', delta: 'a' });
    off();
    transport.emit('assistant:delta', { responseId: 'r', delta: 'b' });
    expect(seen).to.deep.equal(['a']);
  });

  it('setEventEmitter bridges every event emit-only, and null detaches it', async () => {
    const { manager } = setup();
    const bridged: string[] = [];
    manager.setEventEmitter({ emit: (event) => bridged.push(event) });
    await manager.startSession();
    expect(bridged).to.include('realtime:session:start');
    expect(bridged).to.include('realtime:state');
    manager.setEventEmitter(null);
    const count = bridged.length;
    await manager.stopSession();
    expect(bridged.length).to.equal(count);
  });

  it('a throwing listener does not break the manager or other listeners', async () => {
    const { manager, transport } = setup();
    manager.on('realtime:assistant:delta', () => {
      throw new Error('listener bug');
    });
    const seen: string[] = [];
    manager.on('realtime:assistant:delta', ({ delta }) => seen.push(delta));
    await manager.startSession();
    transport.emit('assistant:delta', { responseId: 'r', delta: 'ok' });
    expect(seen).to.deep.equal(['ok']);
    expect(manager.getState().response.text).to.equal('ok');
  });

  it('usage fires for every response that reports it, tool-split turns included', async () => {
    const { manager, transport, named } = setup({
      tools: [{ definition: { type: 'function', name: 't', parameters: { type: 'object', properties: {} } }, handler: () => ({ ok: true }) }],
    });
    await manager.startSession();
    transport.respond({ responseId: 'r1', toolCalls: [{ name: 't', arguments: {} }], usage: { totalTokens: 10 } });
    await flush();
    transport.respond({ responseId: 'r2', text: 'done', usage: { totalTokens: 20 } });
    expect(named('realtime:usage').map((u) => [u.responseId, u.usage.totalTokens, u.sessionId])).to.deep.equal([
      ['r1', 10, 'session-1'],
      ['r2', 20, 'session-1'],
    ]);
  });

  it('malformed transport payloads are ignored without throwing', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    transport.emit('assistant:delta', { responseId: 'r', delta: 42 as never });
    transport.emit('user:transcript', { text: null as never, final: true });
    transport.emit('lipsync', { level: Number.NaN });
    transport.emit('tool:call', { callId: 5 as never, name: 'x', arguments: '{}' });
    expect(manager.getState().session.status).to.equal('active');
    expect(manager.getState().response.text).to.equal('');
  });

  it('a transport error is emitted as realtime:error and recorded', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    transport.emit('error', { error: new Error('rate limited'), code: 'rate_limit_exceeded' });
    expect(named('realtime:error')[0].error.message).to.equal('rate limited');
    expect(manager.getState().lastError).to.deep.equal({ code: 'rate_limit_exceeded', message: 'rate limited' });
    expect(manager.getState().session.status).to.equal('active');
  });

  it('events of a stopped session are not relayed', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    await manager.stopSession();
    transport.emit('assistant:delta', { responseId: 'r', delta: 'ghost' });
    expect(named('realtime:assistant:delta')).to.have.length(0);
  });

  it('a typed message is relayed as realtime:user:message once sent', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    transport.failNext('sendText');
    await manager.sendMessage('lost').catch(() => {});
    await manager.sendMessage('Hello there');
    expect(named('realtime:user:message')).to.deep.equal([{ sessionId: 'session-1', text: 'Hello there' }]);
  });
});
