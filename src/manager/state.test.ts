import { expect } from '@open-wc/testing';
import { setup } from '../../test/helpers/manager.js';

describe('State', () => {
  it('starts idle with an empty response and no error', () => {
    const { manager } = setup();
    expect(manager.getState()).to.deep.equal({
      connection: 'idle',
      session: { status: 'idle', id: null, config: null },
      response: { id: null, status: 'idle', text: '' },
      audioPlaying: false,
      awaitingResponse: false,
      busy: false,
      pendingToolCalls: 0,
      reconnecting: false,
      lastError: null,
      microphone: 'off',
    });
  });

  it('getState returns a snapshot that later changes do not mutate', async () => {
    const { manager } = setup();
    const before = manager.getState();
    await manager.startSession({ model: 'm' });
    expect(before.connection).to.equal('idle');
    expect(manager.getState().connection).to.equal('connected');
  });

  it('emits realtime:state with state and previous on each change', async () => {
    const { manager, named } = setup();
    await manager.startSession();
    const changes = named('realtime:state');
    expect(changes.length).to.be.greaterThan(1);
    for (let i = 1; i < changes.length; i += 1) expect(changes[i].previous).to.equal(changes[i - 1].state);
    expect(changes.at(-1).state).to.equal(manager.getState());
  });

  it('tracks response status, text, audioPlaying and awaitingResponse through a turn', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    await manager.sendMessage('hi');
    expect(manager.getState().awaitingResponse).to.equal(true);
    transport.emit('assistant:start', { responseId: 'r1' });
    expect(manager.getState().awaitingResponse).to.equal(false);
    expect(manager.getState().response).to.deep.equal({ id: 'r1', status: 'responding', text: '' });
    transport.emit('audio:start', { responseId: 'r1' });
    expect(manager.getState().audioPlaying).to.equal(true);
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hel' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'lo' });
    expect(manager.getState().response.text).to.equal('Hello');
    transport.emit('audio:end', { responseId: 'r1', reason: 'stopped' });
    transport.emit('assistant:done', { responseId: 'r1', text: 'Hello', status: 'completed' });
    expect(manager.getState().audioPlaying).to.equal(false);
    expect(manager.getState().response).to.deep.equal({ id: 'r1', status: 'completed', text: 'Hello' });
  });

  it('records lastError after a failure', async () => {
    const { manager, transport } = setup();
    transport.failNext('connect', new Error('boom'));
    await manager.startSession().catch(() => {});
    expect(manager.getState().lastError?.code).to.equal('start_failed');
    expect(manager.getState().lastError?.message).to.contain('boom');
  });
});
