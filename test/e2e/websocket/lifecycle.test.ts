// End to end over a real WebSocket: reconnects, exhaustion, stopping mid-way, push-to-talk, session
// update timeouts, and what is left open after many sessions.
import { expect } from '@open-wc/testing';
import { createWebSocketAdapter } from '../../../src/transports/openai-websocket/index.js';
import {
  clientEvents,
  created,
  emulator,
  harness,
  installResourceTracking,
  lastSocket,
  next,
  openResources,
  socketSent,
  socketState,
  untilFrames,
  type Harness,
} from './helpers.js';

installResourceTracking();

const noOpenResources = () => {
  const open = openResources();
  return open.sockets === 0 && open.tracks === 0;
};

describe('e2e websocket: lifecycle', () => {
  let h: Harness;

  beforeEach(async () => {
    h = harness();
    await h.client.prepareAudio();
    h.manager.setMuted(true);
  });

  afterEach(async () => {
    await emulator.faults({});
    await h.manager.dispose();
    await h.audio.close();
  });

  it('reconnects after the emulator drops the socket mid-response, replaying the conversation', async () => {
    await h.manager.startSession();
    const sessionId = h.manager.getState().session.id;
    const first = next(h.manager, 'realtime:assistant:done', () => true, 12_000);
    await h.manager.sendMessage('remember the lighthouse');
    expect((await first).status).to.equal('completed');
    const dropped = lastSocket();
    await emulator.faults({ dropAfterDeltas: 2 }, dropped.sessionId);

    const attempt = next(h.manager, 'realtime:reconnect:attempt');
    const success = next(h.manager, 'realtime:reconnect:success', () => true, 12_000);
    await h.manager.sendMessage('and the keeper');
    expect((await attempt).cause).to.equal('socket-closed');
    expect((await success).attempt).to.equal(1);
    expect(h.manager.getState()).to.deep.include({ connection: 'connected', reconnecting: false });
    expect(h.manager.getState().session.id).to.equal(sessionId);

    const replayed = lastSocket();
    expect(replayed).to.not.equal(dropped);
    const log = await emulator.log(replayed.sessionId!);
    const texts = log.items.map((item: any) => `${item.role}: ${item.content.map((c: any) => c.text).join('')}`);
    expect(texts.slice(0, 3)).to.deep.equal([
      'user: remember the lighthouse',
      'assistant: You said "remember the lighthouse". This is the emulator speaking.',
      'user: and the keeper',
    ]);
    // The interrupted reply's partial text may follow; no response was asked for, no old call answered.
    expect(clientEvents(log, 'response.create')).to.have.length(0);
    expect(clientEvents(log, 'conversation.item.create').every((e) => e.item.type === 'message')).to.equal(true);

    const after = next(h.manager, 'realtime:assistant:done', () => true, 12_000);
    await h.manager.sendMessage('still there?');
    expect((await after).text).to.equal('You said "still there?". This is the emulator speaking.');
  });

  it('gives up after maxAttempts while the emulator stays down, releasing everything', async () => {
    await h.manager.startSession();
    await emulator.faults({ down: true });
    const exhausted = next(h.manager, 'realtime:reconnect:exhausted', () => true, 12_000);
    const ended = next(h.manager, 'realtime:session:end', () => true, 12_000);
    await emulator.close(lastSocket().sessionId!);
    expect((await exhausted).attempts).to.equal(3);
    expect((await ended).reason).to.equal('reconnect_exhausted');
    expect(h.named('realtime:reconnect:attempt').map((a) => a.attempt)).to.deep.equal([1, 2, 3]);
    expect(h.manager.getState()).to.deep.include({ connection: 'error', reconnecting: false });
    await untilFrames(noOpenResources, 'sockets and microphone tracks released');
    expect(h.manager.levels.output!.read()).to.equal(0);
  });

  it('stop during connect cancels the start and leaves nothing open', async () => {
    await emulator.faults({ stallSessionUpdated: true });
    const sockets = created.sockets.length;
    const starting = h.manager.startSession().then(
      () => undefined,
      (error: Error) => error,
    );
    await socketSent(sockets, 'session.update');
    await h.manager.stopSession();
    const error = await starting;
    expect(error?.name).to.equal('AbortError');
    expect(h.manager.getState().session.status).to.equal('stopped');
    expect(h.manager.getState().connection).to.equal('idle');
    await untilFrames(noOpenResources, 'sockets and microphone tracks released');
  });

  it('stop during reconnect ends the session stopped and leaves nothing open', async () => {
    await h.manager.startSession();
    await emulator.faults({ stallSessionUpdated: true });
    const sockets = created.sockets.length;
    const attempt = next(h.manager, 'realtime:reconnect:attempt');
    await emulator.close(lastSocket().sessionId!);
    await attempt;
    await socketSent(sockets, 'session.update');
    const ended = next(h.manager, 'realtime:session:end');
    await h.manager.stopSession();
    expect((await ended).reason).to.equal('stopped');
    expect(h.named('realtime:reconnect:success')).to.have.length(0);
    expect(h.manager.getState()).to.deep.include({ connection: 'idle', reconnecting: false });
    await untilFrames(noOpenResources, 'sockets and microphone tracks released');
  });

  it('push-to-talk: microphone audio is appended only between start and commit', async () => {
    h.manager.setMuted(false);
    await h.manager.startSession({ turnDetection: null });
    const socket = lastSocket();
    const reply = next(h.manager, 'realtime:assistant:done', () => true, 12_000);
    await h.manager.startTalking();
    const appendsAfterClear = () => socket.sent.slice(socket.sent.indexOf('input_audio_buffer.clear')).filter((t) => t === 'input_audio_buffer.append').length;
    await socketState(socket, () => appendsAfterClear() >= 8, 'eight microphone chunks (320 ms)');
    await h.manager.stopTalking();
    expect((await reply).text).to.match(/I heard 0\.[3-9] seconds of speech|I heard [1-9]\.\d seconds of speech/);
    const clear = socket.sent.indexOf('input_audio_buffer.clear');
    const commit = socket.sent.indexOf('input_audio_buffer.commit');
    expect(clear).to.be.greaterThan(-1);
    expect(commit).to.be.greaterThan(clear);
    const appends = socket.sent.flatMap((type, index) => (type === 'input_audio_buffer.append' ? [index] : []));
    expect(appends.every((index) => index > clear && index < commit)).to.equal(true);

    // A press too short to carry 100 ms commits nothing and says why.
    await h.manager.startTalking();
    const error = await h.manager.stopTalking().then(
      () => undefined,
      (e: Error & { cause?: { code?: string } }) => e,
    );
    expect(error?.cause?.code).to.equal('input_too_short');
    expect(socket.sent.filter((t) => t === 'input_audio_buffer.commit')).to.have.length(1);
  });

  it('an update the provider never acknowledges fails after the adapter timeout; the session stays up', async () => {
    await h.manager.dispose();
    await h.audio.close();
    h = harness(
      {},
      {
        adapters: [
          {
            name: 'openai-websocket',
            transport: 'websocket',
            load: async () => (deps) => createWebSocketAdapter(deps, { sessionUpdateTimeoutMs: 300 }),
          },
        ],
      },
    );
    await h.client.prepareAudio();
    h.manager.setMuted(true);
    await h.manager.startSession();
    await emulator.faults({ stallSessionUpdated: true }, lastSocket().sessionId);
    const error = await h.manager.updateSession({ instructions: 'never acknowledged' }).then(
      () => undefined,
      (e: Error & { cause?: { code?: string } }) => e,
    );
    expect(error?.name).to.equal('RealtimeUpdateError');
    expect(error?.cause?.code).to.equal('session_update_timeout');
    expect(h.manager.getState().connection).to.equal('connected');
  });

  it('a refused microphone the page requires fails the start with its stable code and leaves no socket open', async () => {
    await h.manager.dispose();
    await h.audio.close();
    const refusing = new EventTarget() as MediaDevices;
    Object.assign(refusing, {
      getUserMedia: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
      enumerateDevices: () => Promise.resolve([]),
    });
    h = harness({}, { microphone: { mediaDevices: refusing, required: true } });
    const error = await h.manager.startSession().then(
      () => undefined,
      (e: Error & { cause?: { code?: string } }) => e,
    );
    expect(error?.name).to.equal('RealtimeStartError');
    expect(error?.cause?.code).to.equal('microphone_permission_denied');
    expect(h.manager.getState().session.status).to.equal('stopped');
    await untilFrames(noOpenResources, 'sockets released');
  });

  it('20 start/stop cycles leave no socket, track or AudioContext open', async () => {
    const sockets = created.sockets.length;
    for (let i = 0; i < 20; i += 1) {
      await h.manager.startSession();
      await h.manager.stopSession();
    }
    expect(created.sockets.length - sockets).to.equal(20);
    expect(openResources()).to.deep.include({ sockets: 0, tracks: 0 });
    // The remote client closes its AudioContext when a session ends (a running one keeps the audio
    // device busy); the next start makes a new one.
    expect(created.contexts.filter((context) => context.state !== 'closed')).to.deep.equal([]);
  });

  it('no client or server event of these sessions violated the schema', async () => {
    const ids = created.sockets.map((s) => s.sessionId).filter((id): id is string => Boolean(id));
    expect(ids.length).to.be.greaterThan(20);
    const { violations } = await emulator.violations();
    const ours = violations.filter((v: { sessionId: string }) => ids.includes(v.sessionId));
    expect(ours, JSON.stringify(ours.slice(0, 3), null, 1)).to.deep.equal([]);
  });
});
