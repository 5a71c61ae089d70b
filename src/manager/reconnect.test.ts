import { expect } from '@open-wc/testing';
import { backoffDelay, resolveReconnectOptions } from './backoff.js';
import { fakeNetwork, flush, next, setup } from '../../test/helpers/manager.js';

describe('Reconnect', () => {
  it('on connection loss while active: session stays active, connection connecting, turn interrupted, audio ends', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    await manager.sendMessage('hi');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('audio:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hel' });
    const held = transport.hold('connect');
    transport.loseConnection('ice-failed');
    await held.reached;
    const state = manager.getState();
    expect(state.session.status).to.equal('active');
    expect(state.connection).to.equal('connecting');
    expect(state.reconnecting).to.equal(true);
    expect(state.response).to.deep.equal({ id: 'r1', status: 'interrupted', text: 'Hel' });
    expect(state.audioPlaying).to.equal(false);
    expect(named('tts:audio:end').at(-1).reason).to.equal('disconnected');
    held.resolve();
  });

  it('success: realtime:reconnect:success, same sessionId, no session start/end events', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    const id = manager.getState().session.id;
    const success = next(manager, 'realtime:reconnect:success');
    transport.loseConnection('data-channel-closed');
    expect(await success).to.deep.equal({ sessionId: id, attempt: 1 });
    expect(manager.getState().session.id).to.equal(id);
    expect(manager.getState().connection).to.equal('connected');
    expect(manager.getState().reconnecting).to.equal(false);
    expect(named('realtime:session:start')).to.have.length(1);
    expect(named('realtime:session:end')).to.have.length(0);
    await manager.sendMessage('works again');
  });

  it('every attempt emits realtime:reconnect:attempt with attempt, delay and cause', async () => {
    const { manager, transport, named } = setup({ reconnect: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4, jitter: 0 } });
    await manager.startSession();
    transport.failNext('connect', new Error('refused'));
    transport.failNext('connect', new Error('refused'));
    const success = next(manager, 'realtime:reconnect:success');
    transport.loseConnection('ice-failed');
    await success;
    expect(named('realtime:reconnect:attempt').map(({ attempt, delayMs, cause, maxAttempts }) => ({ attempt, delayMs, cause, maxAttempts }))).to.deep.equal([
      { attempt: 1, delayMs: 1, cause: 'ice-failed', maxAttempts: 3 },
      { attempt: 2, delayMs: 2, cause: 'connect-failed', maxAttempts: 3 },
      { attempt: 3, delayMs: 4, cause: 'connect-failed', maxAttempts: 3 },
    ]);
  });

  it('a refusal with Retry-After (429 rate_limited) makes the next attempt wait at least that long, so no attempt is spent inside the window', async () => {
    const { manager, transport, named } = setup({ reconnect: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 4, jitter: 0 } });
    await manager.startSession();
    // As the remote client reports it, wrapped once by an adapter: the wait is found on the cause.
    const refusal = Object.assign(new Error('The realtime route refused the session (429)'), { code: 'rate_limited', status: 429, retryAfterSeconds: 0.25 });
    transport.failNext('connect', Object.assign(new Error('connect failed', { cause: refusal }), { code: 'connection_failed' }));
    const held = transport.hold('connect');
    const attemptAt: number[] = [];
    manager.on('realtime:reconnect:attempt', ({ attempt }) => (attemptAt[attempt] = performance.now()));
    const success = next(manager, 'realtime:reconnect:success');
    transport.loseConnection('ice-failed');
    await held.reached;
    const retriedAt = performance.now();
    held.resolve();
    expect(await success).to.deep.include({ attempt: 2 });
    expect(named('realtime:reconnect:attempt').map(({ attempt, delayMs }) => ({ attempt, delayMs }))).to.deep.equal([
      { attempt: 1, delayMs: 1 },
      { attempt: 2, delayMs: 250 },
    ]);
    // A lower bound: a loaded machine only waits longer.
    expect(retriedAt - attemptAt[2]!).to.be.at.least(240);
    expect(named('realtime:reconnect:exhausted')).to.have.length(0);
  });

  it('exponential backoff with jitter, capped at the max delay', () => {
    const options = resolveReconnectOptions({ baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.5 });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, options, () => 0))).to.deep.equal([100, 200, 400, 800, 1000]);
    expect(backoffDelay(1, options, () => 0.999)).to.equal(50);
    expect(backoffDelay(5, options, () => 0.5)).to.equal(750);
  });

  it('reconnect options are validated', () => {
    expect(() => resolveReconnectOptions({ maxAttempts: -1 })).to.throw(/maxAttempts/);
    expect(() => resolveReconnectOptions({ baseDelayMs: 10, maxDelayMs: 5 })).to.throw(/baseDelayMs/);
    expect(() => resolveReconnectOptions({ jitter: 2 })).to.throw(/jitter/);
  });

  it('exhaustion: realtime:reconnect:exhausted, then error/stopped', async () => {
    const { manager, transport, named, events } = setup({ reconnect: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 } });
    await manager.startSession();
    transport.failNext('connect', new Error('down'));
    transport.failNext('connect', new Error('still down'));
    const ended = next(manager, 'realtime:session:end');
    transport.loseConnection('peer-closed');
    expect(await ended).to.deep.equal({ sessionId: 'session-1', reason: 'reconnect_exhausted' });
    const [exhausted] = named('realtime:reconnect:exhausted');
    expect(exhausted.attempts).to.equal(2);
    expect(exhausted.lastError.message).to.contain('still down');
    expect(manager.getState().connection).to.equal('error');
    expect(manager.getState().session.status).to.equal('stopped');
    expect(manager.getState().lastError!.code).to.equal('reconnect_exhausted');
    expect(named('realtime:error')).to.have.length(1);
    const names = events.map((e) => e.event);
    expect(names.indexOf('realtime:reconnect:exhausted')).to.be.lessThan(names.indexOf('realtime:error'));
  });

  it('waits are abortable: stop during the backoff delay returns at once', async () => {
    const { manager, transport } = setup({ reconnect: { baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 } });
    await manager.startSession();
    transport.loseConnection();
    const started = performance.now();
    await manager.stopSession();
    expect(performance.now() - started).to.be.lessThan(500);
    expect(transport.callsOf('connect')).to.have.length(1);
  });

  it('while offline it waits for online instead of spending attempts', async () => {
    const network = fakeNetwork(false);
    const { manager, transport, named } = setup({ network, reconnect: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 } });
    await manager.startSession();
    transport.loseConnection('ice-disconnected');
    await flush(10);
    expect(named('realtime:reconnect:attempt')).to.have.length(1);
    expect(transport.callsOf('connect')).to.have.length(1);
    expect(network.listeners.size).to.equal(1);
    const success = next(manager, 'realtime:reconnect:success');
    network.set(true);
    await success;
    expect(named('realtime:reconnect:attempt')).to.have.length(1);
    expect(network.listeners.size).to.equal(0);
  });

  it('each attempt uses the latest effective config', async () => {
    const { manager, transport } = setup({ reconnect: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 } });
    await manager.startSession({ instructions: 'v1' });
    const held = transport.hold('connect');
    transport.loseConnection();
    await held.reached;
    manager.registerTool({ definition: { type: 'function', name: 'added', parameters: { type: 'object', properties: {} } }, handler: () => ({}) });
    void manager.updateSession({ instructions: 'v2' });
    held.reject(new Error('fail'));
    await next(manager, 'realtime:reconnect:success');
    const last = transport.callsOf('connect').at(-1)!.request.session;
    expect(last.instructions).to.equal('v2');
    expect(last.tools!.map((t) => t.name)).to.deep.equal(['added']);
  });

  it('the conversation is handed to the transport on recovery (beyond)', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    await manager.sendMessage('What is the capital of France?');
    transport.respond({ text: 'Paris.' });
    transport.emit('user:transcript', { text: 'And of Italy?', final: true });
    transport.emit('assistant:start', { responseId: 'r9' });
    transport.emit('assistant:delta', { responseId: 'r9', delta: 'Ro' });
    transport.emit('tool:call', { responseId: 'r9', callId: 'old_call', name: 'x', arguments: '{}' });
    const success = next(manager, 'realtime:reconnect:success');
    transport.loseConnection();
    await success;
    const request = transport.callsOf('connect').at(-1)!.request;
    expect(request.reason).to.equal('reconnect');
    expect(request.history).to.deep.equal([
      { role: 'user', text: 'What is the capital of France?' },
      { role: 'assistant', text: 'Paris.' },
      { role: 'user', text: 'And of Italy?' },
      { role: 'assistant', text: 'Ro', interrupted: true },
    ]);
    expect(JSON.stringify(request.history)).to.not.contain('old_call');
  });

  it('a loss while already reconnecting does not start a second recovery', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    const held = transport.hold('connect');
    transport.loseConnection();
    transport.loseConnection();
    await held.reached;
    held.resolve();
    await flush();
    expect(named('realtime:reconnect:attempt')).to.have.length(1);
  });

  it('maxAttempts 0 disables reconnecting: the session ends exhausted', async () => {
    const { manager, transport, named } = setup({ reconnect: { maxAttempts: 0 } });
    await manager.startSession();
    const ended = next(manager, 'realtime:session:end');
    transport.loseConnection();
    await ended;
    expect(named('realtime:reconnect:exhausted')).to.have.length(1);
    expect(transport.callsOf('connect')).to.have.length(1);
  });
});

