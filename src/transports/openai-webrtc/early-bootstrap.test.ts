// The agents adapter asks the route for its bootstrap while the microphone opens (the SDK makes its own
// offer afterwards, so the route's answer does not depend on the microphone): a slow microphone no
// longer adds the route's time to every start. End to end through the real route to the emulator; the
// microphone is made slow (or refused) by wrapping getUserMedia, the route POST is seen through the
// client's `fetch`.
import { expect } from '@open-wc/testing';
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { routePath } from '/__charivo/emulator.js';
import { AudioContextOwner } from '../audio/audio-context-owner.js';
import { createRemoteRealtimeClient } from '../remote/index.js';
import { needsOf, requires } from '../../../test/helpers/engine.js';
import type { TransportConnectRequest } from '../types.js';

const request: TransportConnectRequest = { session: {}, reason: 'start', history: [], sessionId: 'early-bootstrap' };
/** How long the wrapped microphone takes to open: a slow device or a permission prompt. */
const MIC_DELAY_MS = 400;

interface Probe {
  log: string[];
  routeSignal: AbortSignal | undefined;
  restore(): void;
}

/** Makes getUserMedia slow (or refused) and records the order of the microphone and the route POST. */
function probeMicrophone(outcome: 'slow' | 'refused'): Probe & { fetch: typeof fetch } {
  const log: string[] = [];
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia;
  devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    log.push('microphone asked');
    await new Promise((resolve) => setTimeout(resolve, MIC_DELAY_MS));
    if (outcome === 'refused') {
      log.push('microphone refused');
      throw new DOMException('Permission denied', 'NotAllowedError');
    }
    const stream = await original.call(devices, constraints);
    log.push('microphone open');
    return stream;
  };
  const probe: Probe & { fetch: typeof fetch } = {
    log,
    routeSignal: undefined,
    restore: () => {
      devices.getUserMedia = original;
    },
    fetch: async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(url, location.href).pathname === routePath) {
        probe.routeSignal = init?.signal ?? undefined;
        log.push('route asked');
      }
      return fetch(input, init);
    },
  };
  return probe;
}

describe('openai-agents-webrtc: the route is asked while the microphone opens', () => {
  requires(...needsOf('openai-agents-webrtc'));
  it('a slow microphone and the route POST overlap; the session connects', async function () {
    this.timeout(20_000);
    const probe = probeMicrophone('slow');
    const client = createRemoteRealtimeClient({ endpoint: routePath, adapter: 'openai-agents-webrtc', fetch: probe.fetch, audio: new AudioContextOwner() });
    try {
      await client.connect(request, new AbortController().signal);
      // The route was asked before the microphone had opened (without the overlap it comes after).
      expect(probe.log.indexOf('route asked'), probe.log.join(' → ')).to.be.greaterThan(-1);
      expect(probe.log.indexOf('route asked'), probe.log.join(' → ')).to.be.lessThan(probe.log.indexOf('microphone open'));
      // One bootstrap per connect: the adapter used the early one, it did not ask again.
      expect(probe.log.filter((entry) => entry === 'route asked')).to.have.length(1);
      const inner = client.inner as { callId?: string } | undefined;
      expect(inner?.callId, 'a call was set up').to.match(/^rtc_/);
    } finally {
      probe.restore();
      await client.disconnect();
    }
  });

  it('a refused microphone with require-microphone fails the connect and aborts the route request it started', async function () {
    this.timeout(20_000);
    const probe = probeMicrophone('refused');
    const client = createRemoteRealtimeClient({
      endpoint: routePath,
      adapter: 'openai-agents-webrtc',
      fetch: probe.fetch,
      audio: new AudioContextOwner(),
      microphone: { required: true },
    });
    try {
      const failure = await client.connect(request, new AbortController().signal).then(
        () => null,
        (error: Error & { code?: string }) => error,
      );
      expect(failure, 'connect rejects').to.be.an('error');
      expect(probe.log, probe.log.join(' → ')).to.include.members(['route asked', 'microphone refused']);
      // Nothing waits on an answer nobody will use.
      expect(probe.routeSignal?.aborted, 'the route request was aborted').to.equal(true);
      expect(client.inner && (client.inner as { callId?: string }).callId).to.equal(undefined);
    } finally {
      probe.restore();
      await client.disconnect();
    }
  });
});
