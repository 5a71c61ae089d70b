import { expect } from '@open-wc/testing';
import { flush, next, rejection, setup } from '../../test/helpers/manager.js';

describe('updateSession', () => {
  it('inactive: caches the patch for the next start', async () => {
    const { manager, transport } = setup();
    await manager.updateSession({ voice: 'alloy' });
    expect(transport.callsOf('updateSession')).to.have.length(0);
    await manager.startSession({ model: 'm' });
    expect(transport.callsOf('connect')[0]!.request.session).to.include({ voice: 'alloy', model: 'm' });
  });

  it('active: the transport gets the whole effective config, never a partial one', async () => {
    const { manager, transport } = setup({
      tools: [{ definition: { type: 'function', name: 't', parameters: { type: 'object', properties: {} } }, handler: () => ({}) }],
    });
    manager.setCharacter({ name: 'Hiyori', personality: 'cheerful' });
    await manager.startSession({ model: 'm', instructions: 'Be brief.' });
    await manager.updateSession({ voice: 'alloy' });
    const [call] = transport.callsOf('updateSession');
    expect(call!.session.model).to.equal('m');
    expect(call!.session.voice).to.equal('alloy');
    expect(call!.session.instructions).to.contain('You are Hiyori.');
    expect(call!.session.instructions).to.contain('Be brief.');
    expect(call!.session.tools!.map((t) => t.name)).to.deep.equal(['t']);
    expect(manager.getState().session.config).to.deep.equal(call!.session);
  });

  it('success updates state only: no session end/start events', async () => {
    const { manager, named } = setup();
    await manager.startSession();
    await manager.updateSession({ instructions: 'new' });
    expect(named('realtime:session:start')).to.have.length(1);
    expect(named('realtime:session:end')).to.have.length(0);
    expect(manager.getState().session.config!.instructions).to.equal('new');
  });

  it('bursts coalesce to the in-flight patch plus one with the latest config', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    const held = transport.hold('updateSession');
    const first = manager.updateSession({ voice: 'a' });
    await held.reached;
    const rest = [manager.updateSession({ voice: 'b' }), manager.updateSession({ speed: 1.2 }), manager.updateSession({ voice: 'c' })];
    held.resolve();
    await Promise.all([first, ...rest]);
    const sent = transport.callsOf('updateSession').map((c) => c.session);
    expect(sent).to.have.length(2);
    expect(sent[0]!.voice).to.equal('a');
    expect(sent[1]).to.include({ voice: 'c', speed: 1.2 });
    expect(manager.getState().session.config).to.include({ voice: 'c', speed: 1.2 });
  });

  it('failure keeps the previous config, emits one realtime:error and rejects', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession({ voice: 'marin' });
    const before = manager.getState().session.config;
    transport.failNext('updateSession', new Error('invalid voice'));
    const error = await rejection(manager.updateSession({ voice: 'nope' }));
    expect(error.code).to.equal('update_failed');
    expect(error.message).to.contain('invalid voice');
    expect(manager.getState().session.config).to.equal(before);
    expect(named('realtime:error')).to.have.length(1);
    expect(manager.getState().session.status).to.equal('active');
    // The refused patch is dropped: the next update does not carry it.
    await manager.updateSession({ speed: 1.1 });
    expect(transport.callsOf('updateSession').at(-1)!.session.voice).to.equal('marin');
  });

  it('stopSession wins over an in-flight refresh', async () => {
    const { manager, transport, named } = setup();
    await manager.startSession();
    const held = transport.hold('updateSession');
    const update = manager.updateSession({ voice: 'x' });
    await held.reached;
    await manager.stopSession();
    held.reject(new Error('closed'));
    await update;
    expect(manager.getState().session.status).to.equal('stopped');
    expect(named('realtime:error')).to.have.length(0);
    expect(manager.getState().session.config).to.not.include({ voice: 'x' });
  });

  it('an update made while reconnecting is applied by the recovery, never lost (beyond)', async () => {
    const { manager, transport } = setup();
    await manager.startSession({ voice: 'marin' });
    const held = transport.hold('connect');
    transport.loseConnection();
    const update = manager.updateSession({ voice: 'alloy' });
    await held.reached;
    held.resolve();
    await update;
    const reconnect = transport.callsOf('connect')[1]!;
    expect(reconnect.request.reason).to.equal('reconnect');
    expect(reconnect.request.session.voice).to.equal('alloy');
    expect(manager.getState().session.config!.voice).to.equal('alloy');
  });

  it('an update arriving during the reconnect connect is sent after it succeeds', async () => {
    const { manager, transport } = setup();
    await manager.startSession({ voice: 'marin' });
    const held = transport.hold('connect');
    transport.loseConnection();
    await held.reached;
    const update = manager.updateSession({ voice: 'alloy' });
    const success = next(manager, 'realtime:reconnect:success');
    held.resolve();
    await success;
    await update;
    expect(transport.callsOf('updateSession').at(-1)!.session.voice).to.equal('alloy');
    expect(manager.getState().session.config!.voice).to.equal('alloy');
  });

  it('an update made while starting is applied once the session is active', async () => {
    const { manager, transport } = setup();
    const held = transport.hold('connect');
    const started = manager.startSession({ voice: 'marin' });
    await held.reached;
    const update = manager.updateSession({ voice: 'alloy' });
    held.resolve();
    await started;
    await update;
    await flush();
    expect(manager.getState().session.config!.voice).to.equal('alloy');
  });

  it('the tools field of a patch is ignored: tools come from the registry', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    await manager.updateSession({ tools: [{ type: 'function', name: 'evil', parameters: {} }] });
    expect(transport.callsOf('updateSession')[0]!.session.tools).to.deep.equal([]);
  });

  it('an out-of-range or unknown field is rejected with a message naming it and the range', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    let error = await rejection(manager.updateSession({ speed: 3 }));
    expect(error.code).to.equal('invalid_argument');
    expect(error.message).to.equal('updateSession: speed: must be between 0.25 and 1.5');
    error = await rejection(manager.updateSession({ vioce: 'alloy' } as never));
    expect(error.message).to.contain('vioce');
    error = await rejection(manager.updateSession({ turnDetection: { type: 'server_vad', threshold: 2 } }));
    expect(error.message).to.contain('turnDetection.threshold');
    expect(transport.callsOf('updateSession')).to.have.length(0);
  });
});
