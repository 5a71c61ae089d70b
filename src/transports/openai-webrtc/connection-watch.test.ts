import { expect } from '@open-wc/testing';
import type { ConnectionLossCause } from '../types.js';
import { ConnectionWatch } from './connection-watch.js';

class FakePeer extends EventTarget {
  connectionState: RTCPeerConnectionState = 'connected';
  iceConnectionState: RTCIceConnectionState = 'connected';
  set(state: RTCPeerConnectionState, ice: RTCIceConnectionState = state as RTCIceConnectionState): void {
    this.connectionState = state;
    this.iceConnectionState = ice;
    this.dispatchEvent(new Event('iceconnectionstatechange'));
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'open';
  close(): void {
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }
}

function watch(graceMs = 50) {
  const pc = new FakePeer();
  const dc = new FakeChannel();
  const losses: Array<{ cause: ConnectionLossCause; at: number }> = [];
  let resolveLoss: (cause: ConnectionLossCause) => void = () => {};
  const lost = new Promise<ConnectionLossCause>((resolve) => (resolveLoss = resolve));
  const watcher = new ConnectionWatch(
    { pc: pc as unknown as RTCPeerConnection, dc: dc as unknown as RTCDataChannel },
    {
      disconnectGraceMs: graceMs,
      onLost: (cause) => {
        losses.push({ cause, at: performance.now() });
        resolveLoss(cause);
      },
    },
  );
  watcher.start();
  return { pc, dc, watcher, losses, lost };
}

describe('openai-webrtc: connection watch', () => {
  it('a closed data channel is a loss at once, reported once', () => {
    const { dc, pc, losses, watcher } = watch();
    dc.close();
    pc.set('failed');
    expect(losses.map((l) => l.cause)).to.deep.equal(['data-channel-closed']);
    watcher.stop();
  });

  it('a failed or closed peer is a loss at once', () => {
    const failed = watch();
    failed.pc.set('failed');
    expect(failed.losses.map((l) => l.cause)).to.deep.equal(['ice-failed']);
    const closed = watch();
    closed.pc.set('closed');
    expect(closed.losses.map((l) => l.cause)).to.deep.equal(['peer-closed']);
  });

  it('disconnected counts as lost only after the grace, measured from the last disconnect', async () => {
    const { pc, lost, losses } = watch(60);
    pc.set('disconnected');
    pc.set('connected');
    const secondDisconnect = performance.now();
    pc.set('disconnected');
    expect(await lost).to.equal('ice-disconnected');
    expect(losses).to.have.length(1);
    expect(losses[0]!.at - secondDisconnect).to.be.at.least(55);
  });

  it('a wake-up event checks the connection (health check)', () => {
    const { dc, losses, watcher } = watch();
    // The channel died without its close event reaching us (e.g. while the page was frozen).
    dc.readyState = 'closed';
    window.dispatchEvent(new Event('online'));
    expect(losses.map((l) => l.cause)).to.deep.equal(['health-check-failed']);
    watcher.stop();
  });

  it('reports nothing after stop(), and removes its window listeners', () => {
    const { dc, pc, losses, watcher } = watch();
    watcher.stop();
    dc.readyState = 'closed';
    window.dispatchEvent(new Event('pageshow'));
    document.dispatchEvent(new Event('visibilitychange'));
    dc.close();
    pc.set('failed');
    expect(losses).to.deep.equal([]);
  });
});
