import { expect } from '@open-wc/testing';
import { rejection, setup } from '../../test/helpers/manager.js';

describe('dispose', () => {
  it('stops the session and removes every listener it created', async () => {
    const { manager, transport } = setup();
    manager.on('realtime:state', () => {});
    await manager.startSession();
    expect(transport.listenerCount).to.be.greaterThan(0);
    await manager.dispose();
    expect(transport.listenerCount).to.equal(0);
    expect(transport.connected).to.equal(false);
    expect(manager.getState().session.status).to.equal('stopped');
  });

  it('clears a pending reconnect timer', async () => {
    const { manager, transport } = setup({ reconnect: { baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 } });
    await manager.startSession();
    transport.loseConnection();
    await manager.dispose();
    expect(transport.callsOf('connect')).to.have.length(1);
    expect(manager.getState().reconnecting).to.equal(false);
  });

  it('a disposed manager refuses to start', async () => {
    const { manager } = setup();
    await manager.dispose();
    expect((await rejection(manager.startSession())).code).to.equal('disposed');
  });
});
