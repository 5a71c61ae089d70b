import { expect } from '@open-wc/testing';
import { RealtimeAbortError, RealtimeStartError } from './errors.js';
import { rejection, setup } from '../../test/helpers/manager.js';

describe('startSession', () => {
  it('goes connecting/starting then connected/active and emits realtime:session:start', async () => {
    const { manager, transport, named } = setup();
    const held = transport.hold('connect');
    const started = manager.startSession({ model: 'gpt-test', instructions: 'Be brief.' });
    await held.reached;
    expect(manager.getState().connection).to.equal('connecting');
    expect(manager.getState().session.status).to.equal('starting');
    expect(named('realtime:session:start')).to.have.length(0);
    held.resolve();
    await started;
    expect(manager.getState().connection).to.equal('connected');
    expect(manager.getState().session.status).to.equal('active');
    const [start] = named('realtime:session:start');
    expect(start.sessionId).to.equal('session-1');
    expect(start.config).to.include({ model: 'gpt-test', instructions: 'Be brief.' });
    expect(manager.getState().session.config).to.deep.equal(start.config);
  });

  it('passes the whole effective config, reason start and empty history to the transport', async () => {
    const { manager, transport } = setup();
    await manager.startSession({ model: 'm' });
    const [call] = transport.callsOf('connect');
    expect(call!.request.reason).to.equal('start');
    expect(call!.request.history).to.deep.equal([]);
    expect(call!.request.session).to.deep.equal({ model: 'm', tools: [] });
    expect(call!.request.sessionId).to.equal('session-1');
  });

  it('rejects while active', async () => {
    const { manager } = setup();
    await manager.startSession();
    const error = await rejection(manager.startSession());
    expect(error.code).to.equal('session_active');
  });

  it('rejects while starting', async () => {
    const { manager, transport } = setup();
    const held = transport.hold('connect');
    const first = manager.startSession();
    await held.reached;
    const error = await rejection(manager.startSession());
    expect(error.code).to.equal('session_active');
    held.resolve();
    await first;
  });

  it('failure ends error/stopped with one realtime:error and a typed rejection', async () => {
    const { manager, transport, named } = setup();
    transport.failNext('connect', new Error('SDP refused (503)'));
    const error = await rejection(manager.startSession());
    expect(error).to.be.instanceOf(RealtimeStartError);
    expect(error.code).to.equal('start_failed');
    expect(error.message).to.contain('SDP refused (503)');
    expect(manager.getState().connection).to.equal('error');
    expect(manager.getState().session.status).to.equal('stopped');
    expect(named('realtime:error')).to.have.length(1);
    expect(named('realtime:session:start')).to.have.length(0);
    expect(transport.callsOf('disconnect')).to.have.length(1);
  });

  it('can start again after a failure', async () => {
    const { manager, transport } = setup();
    transport.failNext('connect');
    await manager.startSession().catch(() => {});
    await manager.startSession();
    expect(manager.getState().session.status).to.equal('active');
    expect(manager.getState().lastError).to.equal(null);
  });

  it('stopSession during a start cancels it: connect aborted, nothing open, state stopped (beyond)', async () => {
    const { manager, transport, named } = setup();
    const held = transport.hold('connect');
    const started = manager.startSession();
    await held.reached;
    await manager.stopSession();
    expect(held.signal!.aborted).to.equal(true);
    const error = await rejection(started);
    expect(error).to.be.instanceOf(RealtimeAbortError);
    expect(error.name).to.equal('AbortError');
    expect(transport.connected).to.equal(false);
    expect(transport.callsOf('disconnect')).to.have.length(1);
    expect(manager.getState().session.status).to.equal('stopped');
    expect(manager.getState().connection).to.equal('idle');
    expect(named('realtime:session:start')).to.have.length(0);
    expect(named('realtime:session:end')).to.deep.equal([{ sessionId: 'session-1', reason: 'aborted' }]);
    expect(named('realtime:error')).to.have.length(0);
  });

  it('the AbortSignal during a start cancels it the same way (beyond)', async () => {
    const { manager, transport } = setup();
    const held = transport.hold('connect');
    const controller = new AbortController();
    const started = manager.startSession({}, { signal: controller.signal });
    await held.reached;
    controller.abort();
    const error = await rejection(started);
    expect(error.name).to.equal('AbortError');
    expect(held.signal!.aborted).to.equal(true);
    expect(manager.getState().session.status).to.equal('stopped');
    expect(transport.listenerCount).to.equal(0);
  });

  it('an already aborted signal never connects', async () => {
    const { manager, transport } = setup();
    const error = await rejection(manager.startSession({}, { signal: AbortSignal.abort() }));
    expect(error.name).to.equal('AbortError');
    expect(transport.callsOf('connect')).to.have.length(0);
    expect(manager.getState().session.status).to.equal('stopped');
  });

  it('a connect that resolves after the abort is still torn down', async () => {
    const { manager, transport } = setup();
    const held = transport.hold('connect');
    const controller = new AbortController();
    const started = manager.startSession({}, { signal: controller.signal });
    await held.reached;
    held.resolve();
    controller.abort();
    const error = await rejection(started);
    expect(error.name).to.equal('AbortError');
    expect(transport.connected).to.equal(false);
    expect(manager.getState().session.status).to.equal('stopped');
  });

  it('uses a new sessionId per start', async () => {
    const { manager } = setup();
    await manager.startSession();
    const first = manager.getState().session.id;
    await manager.stopSession();
    await manager.startSession();
    expect(manager.getState().session.id).to.not.equal(first);
  });

  it('rejects a non-object config', async () => {
    const { manager } = setup();
    const error = await rejection(manager.startSession('gpt' as never));
    expect(error.code).to.equal('invalid_argument');
  });

  it('rejects an invalid config before connecting, naming the field', async () => {
    const { manager, transport } = setup();
    const error = await rejection(manager.startSession({ maxOutputTokens: 0 }));
    expect(error.code).to.equal('invalid_argument');
    expect(error.message).to.contain('maxOutputTokens');
    expect(transport.callsOf('connect')).to.have.length(0);
    expect(manager.getState().session.status).to.equal('idle');
  });
});
