// What each WebRTC adapter actually sends as `session.update` for every session field: its first update
// (the agents SDK builds that one, with our wire session spread over its own) and live updates, captured
// on the data channel against the emulator and checked field by field against the hand-written wire
// cases (test/e2e/session-config/wire-cases.ts). The emulator validates every event against OpenAI's
// schema; each session's violation list must stay empty.
import { expect } from '@open-wc/testing';
import { requires } from '../../../test/helpers/engine.js';
import { createAgentsWebRTCAdapter } from './agents-adapter.js';
import { createUnifiedWebRTCAdapter } from './unified-adapter.js';
import type { OpenAIWebRTCTransport } from './webrtc-transport.js';
import { WIRE_CASES } from '../../../test/e2e/session-config/wire-cases.js';
import {
  connectRequest,
  emulatorDeps,
  expectNoViolations,
  expectWire,
  recordSends,
  sessionUpdates,
} from '../../../test/e2e/session-config/wire-capture.js';

const ADAPTERS = [
  { name: 'openai-agents-webrtc' as const, create: createAgentsWebRTCAdapter, sdkBuildsFirstUpdate: true },
  { name: 'openai-webrtc' as const, create: createUnifiedWebRTCAdapter, sdkBuildsFirstUpdate: false },
];

for (const adapter of ADAPTERS) {
  describe(`${adapter.name}: the session.update it sends`, () => {
    requires('RTCPeerConnection');
    let recording: ReturnType<typeof recordSends>;
    let transport: OpenAIWebRTCTransport | undefined;

    // The first WebRTC connection of a run pays one-time costs (the emulator loads its WebRTC stack):
    // a throwaway connection pays them here, under its own bound.
    before(async function () {
      this.timeout(30_000);
      const warm = adapter.create(emulatorDeps(adapter.name));
      try {
        await warm.connect(connectRequest({}), new AbortController().signal);
      } finally {
        await warm.disconnect();
      }
    });

    beforeEach(() => {
      recording = recordSends(RTCDataChannel.prototype);
    });

    afterEach(async () => {
      recording.restore();
      await transport?.disconnect();
      transport = undefined;
    });

    async function connect(config: (typeof WIRE_CASES)[number]['config']): Promise<OpenAIWebRTCTransport> {
      transport = adapter.create(emulatorDeps(adapter.name, undefined, config)) as OpenAIWebRTCTransport;
      transport.setMuted(true);
      await transport.connect(connectRequest(config), new AbortController().signal);
      return transport;
    }

    for (const wireCase of WIRE_CASES) {
      it(`on connect: ${wireCase.name}`, async () => {
        const live = await connect(wireCase.config);
        const updates = sessionUpdates(recording.sent);
        expect(updates, 'one full session.update on connect').to.have.length(1);
        expectWire(updates[0]!, wireCase, adapter.sdkBuildsFirstUpdate);
        await expectNoViolations(live.callId!);
      });
    }

    it('live updateSession: every case in turn, each the whole session', async () => {
      const live = await connect({});
      for (const wireCase of WIRE_CASES) {
        const before = sessionUpdates(recording.sent).length;
        await live.updateSession(wireCase.config);
        const updates = sessionUpdates(recording.sent);
        expect(updates.length, wireCase.name).to.equal(before + 1);
        expectWire(updates.at(-1)!, wireCase);
      }
      const log = await expectNoViolations(live.callId!);
      // The emulator applied the last one.
      const last = WIRE_CASES.at(-1)!;
      expect(log.session.audio.output.voice).to.equal(last.config.voice);
      for (const [key, value] of Object.entries(last.extra ?? {})) expect(log.session[key], key).to.deep.equal(value);
    });
  });
}
