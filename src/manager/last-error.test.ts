// Issue 11, items 4 and 11: lastError follows a loss, each failed reconnect attempt and transport
// errors during the reconnect, and clears on a successful reconnect and on stopSession().
import { expect } from '@open-wc/testing';
import { next, setup } from '../../test/helpers/manager.js';

describe('lastError (issue 11, items 4 and 11)', () => {
  it('follows the loss and each failed attempt, and clears on a successful reconnect', async () => {
    const { manager, transport } = setup({ reconnect: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0, jitter: 0 } });
    await manager.startSession();
    const first = transport.hold('connect');
    transport.loseConnection('ice-failed');
    const lost = manager.getState().lastError!;
    expect(lost.code).to.equal('connection_lost');
    expect(lost.message).to.contain('ice-failed');
    await first.reached;
    const second = transport.hold('connect');
    first.reject(new Error('route answered 502'));
    await second.reached;
    let error = manager.getState().lastError!;
    expect(error.code).to.equal('connection_failed');
    expect(error.message).to.contain('route answered 502');
    const third = transport.hold('connect');
    second.reject(Object.assign(new Error('too many sessions'), { code: 'rate_limited' }));
    await third.reached;
    error = manager.getState().lastError!;
    expect(error).to.deep.equal({ code: 'rate_limited', message: 'reconnect attempt 2 failed: too many sessions' });
    const success = next(manager, 'realtime:reconnect:success');
    third.resolve();
    await success;
    expect(manager.getState().lastError).to.equal(null);
  });

  it('stopSession() clears a stale error of the session', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    transport.emit('error', { error: new Error('rate limited'), code: 'rate_limit_exceeded' });
    expect(manager.getState().lastError!.code).to.equal('rate_limit_exceeded');
    await manager.stopSession();
    expect(manager.getState().lastError).to.equal(null);
  });

  it('stopSession() after reconnecting gave up clears the error and leaves the connection idle', async () => {
    const { manager, transport } = setup({ reconnect: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    await manager.startSession();
    transport.failNext('connect', new Error('down'));
    const ended = next(manager, 'realtime:session:end');
    transport.loseConnection();
    await ended;
    expect(manager.getState().lastError!.code).to.equal('reconnect_exhausted');
    await manager.stopSession();
    expect(manager.getState()).to.deep.include({ lastError: null, connection: 'idle' });
    expect(manager.getState().session.status).to.equal('stopped');
  });

  it('a transport error during a reconnect updates lastError and the log, and is not a realtime:error', async () => {
    const lines: Array<{ message: string; context: Record<string, unknown> }> = [];
    const log = (message: string, context: Record<string, unknown> = {}) => lines.push({ message, context });
    const { manager, transport, named } = setup({ logger: { debug: log, info: log, warn: log, error: log } });
    await manager.startSession();
    const held = transport.hold('connect');
    transport.loseConnection('socket-closed');
    await held.reached;
    transport.emit('error', { error: new Error('socket error 1006'), code: 'socket_error' });
    expect(manager.getState().lastError).to.deep.equal({ code: 'socket_error', message: 'socket error 1006' });
    expect(named('realtime:error')).to.have.length(0);
    expect(lines.some((line) => line.context.code === 'socket_error' && line.context.reconnecting === true)).to.equal(true);
    const success = next(manager, 'realtime:reconnect:success');
    held.resolve();
    await success;
    expect(manager.getState().lastError).to.equal(null);
    // Once live again, a transport error is an event the app hears.
    transport.emit('error', { error: new Error('rate limited'), code: 'rate_limit_exceeded' });
    expect(named('realtime:error').map((e) => e.error.message)).to.deep.equal(['rate limited']);
  });
});
