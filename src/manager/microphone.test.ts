// No microphone, still a conversation: a denied or missing microphone is a state (and an event), the
// session keeps running for typed turns, mute shows on top of a live microphone, and a retry can bring
// it back.
import { expect } from '@open-wc/testing';
import { next, rejection, setup } from '../../test/helpers/manager.js';
import { AudioDeviceError } from '../transports/audio/errors.js';

describe('microphone status', () => {
  it('is off before a session, follows what the transport reports, and is off again after stop', async () => {
    const { manager, transport, named } = setup();
    expect(manager.getState().microphone).to.equal('off');
    await manager.startSession();
    transport.emit('microphone', { status: 'live' });
    expect(manager.getState().microphone).to.equal('live');
    await manager.stopSession();
    expect(manager.getState().microphone).to.equal('off');
    expect(named('realtime:microphone').map((e) => [e.previous, e.status])).to.deep.equal([
      ['off', 'live'],
      ['live', 'off'],
    ]);
  });

  it('denied: the session stays active and typed turns work; the event carries the code', async () => {
    const { manager, transport } = setup();
    const changed = next(manager, 'realtime:microphone');
    await manager.startSession();
    transport.emit('microphone', {
      status: 'denied',
      error: new AudioDeviceError('microphone_permission_denied', 'Microphone access was denied. Allow the microphone for this site and try again.'),
    });
    const event = await changed;
    expect(event).to.deep.include({ status: 'denied', previous: 'off' });
    expect(event.error.code).to.equal('microphone_permission_denied');
    expect(manager.getState()).to.deep.include({ microphone: 'denied', connection: 'connected' });
    await manager.sendMessage('typing instead');
    expect(transport.callsOf('sendText').map((c) => c.text)).to.deep.equal(['typing instead']);
  });

  it('mute shows as muted only over a live microphone, and never hides a denied one', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    transport.emit('microphone', { status: 'live' });
    manager.setMuted(true);
    expect(manager.getState().microphone).to.equal('muted');
    manager.setMuted(false);
    expect(manager.getState().microphone).to.equal('live');
    manager.setMuted(true);
    transport.emit('microphone', { status: 'absent' });
    expect(manager.getState().microphone).to.equal('absent');
  });

  it('retryMicrophone asks the transport and returns the new status', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    transport.emit('microphone', { status: 'denied' });
    transport.microphoneOnRetry = 'live';
    expect(await manager.retryMicrophone()).to.equal('live');
    expect(transport.callsOf('retryMicrophone')).to.have.length(1);
    expect(manager.getState().microphone).to.equal('live');
    transport.microphoneOnRetry = 'denied';
    expect(await manager.retryMicrophone()).to.equal('denied');
  });

  it('retryMicrophone refuses without a session', async () => {
    const { manager } = setup();
    expect((await rejection(manager.retryMicrophone())).code).to.equal('session_inactive');
  });

  it('ignores a status the contract does not know (transport payloads are untrusted)', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    transport.emit('microphone', { status: 'exploded' as never });
    expect(manager.getState().microphone).to.equal('off');
  });
});
