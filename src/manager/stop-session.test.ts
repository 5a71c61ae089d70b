import { expect } from '@open-wc/testing';
import { next, rejection, setup } from '../../test/helpers/manager.js';

describe('stopSession', () => {
  it('ends a live session and emits realtime:session:end', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    await manager.stopSession();
    expect(manager.getState().session.status).to.equal('stopped');
    expect(manager.getState().connection).to.equal('idle');
    expect(named('realtime:session:end')).to.deep.equal([{ sessionId: 'session-1', reason: 'stopped' }]);
    expect(transport.callsOf('disconnect')).to.have.length(1);
    expect(transport.listenerCount).to.equal(0);
  });

  it('passes through disconnecting', async () => {
    const { manager, named } = setup();
    await manager.startSession();
    await manager.stopSession();
    const connections = named('realtime:state').map((c) => c.state.connection);
    expect(connections.slice(-2)).to.deep.equal(['disconnecting', 'idle']);
  });

  it('is a no-op when idle and when already stopped', async () => {
    const { manager, named, transport } = setup();
    await manager.stopSession();
    await manager.startSession();
    await manager.stopSession();
    await manager.stopSession();
    expect(named('realtime:session:end')).to.have.length(1);
    expect(transport.callsOf('disconnect')).to.have.length(1);
  });

  it('ends a refreshing session promptly: a stalled update does not block it', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    transport.hold('updateSession');
    const update = manager.updateSession({ voice: 'alloy' });
    await manager.stopSession();
    expect(manager.getState().session.status).to.equal('stopped');
    expect(named('realtime:session:end')).to.have.length(1);
    await update; // kept for the next start
    expect(named('realtime:error')).to.have.length(0);
  });

  it('ends a reconnecting session promptly without waiting out the backoff delay', async () => {
    const { manager, transport, named } = setup({ reconnect: { baseDelayMs: 60_000, maxDelayMs: 60_000, jitter: 0 } });
    await manager.startSession();
    const attempt = next(manager, 'realtime:reconnect:attempt');
    transport.loseConnection('ice-failed');
    expect((await attempt).delayMs).to.equal(60_000);
    const before = performance.now();
    await manager.stopSession();
    expect(performance.now() - before).to.be.lessThan(1000);
    expect(manager.getState().session.status).to.equal('stopped');
    expect(manager.getState().reconnecting).to.equal(false);
    expect(named('realtime:session:end')).to.deep.equal([{ sessionId: 'session-1', reason: 'stopped' }]);
    expect(named('realtime:reconnect:exhausted')).to.have.length(0);
    expect(transport.callsOf('connect')).to.have.length(1);
  });

  it('ends a session whose reconnect connect is in flight: the connect is aborted', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    const held = transport.hold('connect');
    transport.loseConnection('peer-closed');
    await held.reached;
    await manager.stopSession();
    expect(held.signal!.aborted).to.equal(true);
    expect(manager.getState().session.status).to.equal('stopped');
  });

  it('after stop, sends reject with session_inactive', async () => {
    const { manager } = setup();
    await manager.startSession();
    await manager.stopSession();
    expect((await rejection(manager.sendMessage('x'))).code).to.equal('session_inactive');
  });
});
