import { expect } from '@open-wc/testing';
import { rejection, setup } from '../../test/helpers/manager.js';

describe('Push-to-talk', () => {
  it('with turn detection null: startTalking clears and collects, stopTalking commits and awaits a reply', async () => {
    const { manager, transport } = setup();
    await manager.startSession({ turnDetection: null });
    await manager.startTalking();
    await manager.stopTalking();
    expect(transport.calls.map((c) => c.method).filter((m) => m.endsWith('InputTurn'))).to.deep.equal(['startInputTurn', 'commitInputTurn']);
    expect(manager.getState().awaitingResponse).to.equal(true);
  });

  it('is refused with a clear error while VAD is on', async () => {
    const { manager } = setup();
    await manager.startSession({ turnDetection: { type: 'server_vad' } });
    const error = await rejection(manager.startTalking());
    expect(error.code).to.equal('turn_detection_on');
    expect(error.message).to.contain('turnDetection: null');
    await manager.updateSession({ turnDetection: null });
    await manager.startTalking();
  });

  it('is refused when the session leaves turn detection to the provider default (VAD)', async () => {
    const { manager } = setup();
    await manager.startSession();
    expect((await rejection(manager.stopTalking())).code).to.equal('turn_detection_on');
  });

  it('startTalking while the assistant speaks interrupts it first', async () => {
    const { manager, transport } = setup();
    await manager.startSession({ turnDetection: null });
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('audio:start', { responseId: 'r1' });
    await manager.startTalking();
    expect(transport.calls.map((c) => c.method).slice(-2)).to.deep.equal(['interrupt', 'startInputTurn']);
    expect(manager.getState().response.status).to.equal('interrupted');
  });

  it('rejects when not active', async () => {
    const { manager } = setup();
    expect((await rejection(manager.startTalking())).code).to.equal('session_inactive');
  });
});
