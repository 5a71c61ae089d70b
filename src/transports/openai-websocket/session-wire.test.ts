// What the WebSocket adapter actually sends as `session.update` for every session field, on connect and
// on live updates: captured on the socket against the emulator and checked field by field against the
// hand-written wire cases (test/e2e/session-config/wire-cases.ts). The emulator validates every event
// against OpenAI's schema; each session's violation list must stay empty.
import { expect } from '@open-wc/testing';
import { AudioContextOwner } from '../audio/audio-context-owner.js';
import type { RealtimeTransport } from '../types.js';
import { createWebSocketAdapter } from './index.js';
import { WIRE_CASES } from '../../../test/e2e/session-config/wire-cases.js';
import {
  connectRequest,
  emulatorDeps,
  expectNoViolations,
  expectWire,
  newestSessionId,
  recordSends,
  sessionUpdates,
} from '../../../test/e2e/session-config/wire-capture.js';

describe('openai-websocket: the session.update it sends', () => {
  let recording: ReturnType<typeof recordSends>;
  let transport: RealtimeTransport | undefined;
  let audio: AudioContextOwner;

  beforeEach(() => {
    recording = recordSends(WebSocket.prototype);
    audio = new AudioContextOwner();
  });

  afterEach(async () => {
    recording.restore();
    await transport?.disconnect();
    transport = undefined;
    await audio.close();
  });

  async function connect(config: (typeof WIRE_CASES)[number]['config']): Promise<RealtimeTransport> {
    transport = createWebSocketAdapter(emulatorDeps('openai-websocket', audio, config));
    transport.setMuted?.(true);
    await transport.connect(connectRequest(config), new AbortController().signal);
    return transport;
  }

  for (const wireCase of WIRE_CASES) {
    it(`on connect: ${wireCase.name}`, async () => {
      await connect(wireCase.config);
      const updates = sessionUpdates(recording.sent);
      expect(updates, 'one session.update on connect').to.have.length(1);
      expectWire(updates[0]!, wireCase);
      // It went out before any audio: the session is configured before the microphone streams.
      const first = recording.sent.findIndex((e) => e.type === 'input_audio_buffer.append');
      expect(first === -1 || first > recording.sent.indexOf(updates[0]!)).to.equal(true);
      await expectNoViolations(await newestSessionId('websocket'));
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
    const log = await expectNoViolations(await newestSessionId('websocket'));
    const last = WIRE_CASES.at(-1)!;
    expect(log.session.audio.output.voice).to.equal(last.config.voice);
    for (const [key, value] of Object.entries(last.extra ?? {})) expect(log.session[key], key).to.deep.equal(value);
  });

  it('push-to-talk (turnDetection null) streams no microphone audio until a turn starts, then appends it', async () => {
    const live = await connect({ turnDetection: null });
    live.setMuted?.(false);
    // The microphone is live (its level moves) while nothing is appended.
    await framesUntil(() => (live.levels?.input?.read() ?? 0) > 0.02, 'the microphone level to rise');
    await live.updateSession({ turnDetection: null, instructions: 'still push-to-talk' });
    const appends = () => recording.sent.filter((e) => e.type === 'input_audio_buffer.append');
    expect(appends()).to.have.length(0);
    await live.startInputTurn!();
    expect(recording.sent.at(-1)?.type, 'a turn starts with a clear').to.equal('input_audio_buffer.clear');
    await framesUntil(() => appends().length >= 3, 'appends after the turn started');
  });
});

/** Re-checks `predicate` once per animation frame until it holds; fails naming `what` after `maxFrames`. */
async function framesUntil(predicate: () => boolean, what: string, maxFrames = 600): Promise<void> {
  for (let frame = 0; frame < maxFrames; frame += 1) {
    if (predicate()) return;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  throw new Error(`${what}: not within ${maxFrames} frames`);
}
