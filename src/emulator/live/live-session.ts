/**
 * One emulated GPT-Live session over WebRTC: the `oai-events` data channel's protocol (client events
 * checked against the session's data-channel permissions), the model's voice and hearing, its
 * delegations (to the Responses backend or to the client), and usage by the second. Outgoing events
 * take the same path as the Realtime emulator's (outbox: faults, recording, validation).
 */
import { SessionFaults, type EmulatorFaults } from '../faults.js';
import { Outbox } from '../outbox.js';
import { SessionRecorder, type EventValidator } from '../recorder.js';
import type { TrackAudioOutput } from '../responder.js';
import type { EmulatorScenario } from '../scenario.js';
import type { SessionChannel } from '../channels.js';
import type { EmulatorSessionInfo, EmulatorSessionLog } from '../session.js';
import type { JsonObject, ServerEventInit } from '../types.js';
import type { PeerSession } from '../webrtc-peer.js';
import { ResponsesBackend } from './live-backend.js';
import { handleLiveClientEvent } from './live-client-events.js';
import { delegationType, describePermissions, serverEventAllowed, type LiveSessionResource } from './live-config.js';
import { LiveDelegations } from './live-delegations.js';
import { LiveInput } from './live-input.js';
import { LiveVoice } from './live-voice.js';

export interface LiveSessionOptions {
  resource: LiveSessionResource;
  scenario: EmulatorScenario | undefined;
  faults: EmulatorFaults;
  validator: EventValidator | undefined;
}

/** Usage is reported at least this often while the session runs. */
const USAGE_INTERVAL_MS = 5000;
/** Client frames larger than this are refused. */
const MAX_CLIENT_FRAME = 1024 * 1024;

export class LiveSession implements PeerSession {
  readonly api = 'live' as const;
  readonly id: string;
  readonly transport = 'webrtc' as const;
  readonly callId = undefined;
  readonly createdAt = Date.now();
  readonly recorder: SessionRecorder;
  readonly faults: SessionFaults;
  readonly scenario: EmulatorScenario | undefined;
  readonly voice: LiveVoice;
  readonly input: LiveInput;
  readonly backend: ResponsesBackend;
  readonly delegations: LiveDelegations;
  resource: LiveSessionResource;
  trackAudio: TrackAudioOutput | undefined;
  state: EmulatorSessionInfo['state'] = 'connecting';
  closedAt: number | undefined;
  closeReason: string | undefined;
  #startedAt = performance.now();
  #channel: SessionChannel | undefined;
  #received = 0;
  #sent = 0;
  #usageTimer: NodeJS.Timeout | undefined;
  readonly #outbox: Outbox;
  readonly #closeListeners = new Set<(reason: string) => void>();

  constructor(options: LiveSessionOptions) {
    this.resource = options.resource;
    this.id = options.resource.id;
    this.scenario = options.scenario;
    this.recorder = new SessionRecorder(this.id, options.validator);
    this.faults = new SessionFaults(options.faults);
    const session = this;
    this.#outbox = new Outbox(
      {
        get open() {
          return session.state === 'open' && (session.#channel?.open ?? false);
        },
        sendFrame: (text) => {
          this.#sent += 1;
          try {
            this.#channel?.send(text);
          } catch {
            // The channel closed between the check and the send; its close handler ends the session.
          }
        },
        drop: (reason) => this.drop(reason),
      },
      this.recorder,
      this.faults,
    );
    this.voice = new LiveVoice({
      get trackAudio() {
        return session.trackAudio;
      },
      timing: options.scenario ?? {},
      timelineMs: () => this.timelineMs(),
      emit: (event) => this.emit(event),
    });
    this.input = new LiveInput({
      timelineMs: () => this.timelineMs(),
      emit: (event) => this.emit(event),
      speechStarted: () => this.voice.interrupt(),
      userTurn: (turn) => this.delegations.userTurn(turn),
    });
    this.backend = new ResponsesBackend({
      get resource() {
        return session.resource;
      },
      scenario: options.scenario,
      emitNested: (delegationId, event) => this.emit({ type: 'response.event', delegation_id: delegationId, event }),
    });
    this.delegations = new LiveDelegations(this);
  }

  /** Milliseconds since the session started: the timeline of `start_ms`, `end_ms` and `offset_ms`. */
  timelineMs(): number {
    return Math.round(performance.now() - this.#startedAt);
  }

  /** Cumulative audio seconds (what GPT-Live bills): the session's running time. */
  usageSeconds(): number {
    return Math.round((this.closedAt ? this.closedAt - this.createdAt : this.timelineMs()) / 100) / 10;
  }

  attach(channel: SessionChannel): void {
    if (this.state === 'closed') {
      channel.drop();
      return;
    }
    this.#channel = channel;
    this.state = 'open';
    this.#startedAt = performance.now();
    if (this.faults.dropNow) {
      this.drop('fault: dropped before the first event');
      return;
    }
    this.emit({ type: 'session.started', session: this.resource });
    const permissions = describePermissions(this.resource);
    if (permissions) this.emit({ type: 'info', code: 'data_channel_permissions', message: permissions });
    this.#usageTimer = setInterval(() => this.reportUsage(), USAGE_INTERVAL_MS);
    this.#usageTimer.unref();
  }

  /** Sends one server event, unless the data-channel permissions keep it from the frontend. */
  emit(event: ServerEventInit): void {
    if (this.state !== 'open') return;
    const nested = event.type === 'response.event' ? ((event.event as JsonObject | undefined)?.type as string | undefined) : undefined;
    if (!serverEventAllowed(this.resource, event.type, nested)) return;
    this.#outbox.send(event);
  }

  /** Sends a Live `error` event about a client command. */
  error(code: string, message: string, options: { param?: string; eventId?: string; type?: string } = {}): void {
    this.emit({
      type: 'error',
      ...(options.eventId ? { client_event_id: options.eventId } : {}),
      error: {
        type: options.type ?? 'invalid_request_error',
        code,
        message,
        ...(options.param ? { param: options.param } : {}),
        ...(options.eventId ? { client_event_id: options.eventId } : {}),
      },
    });
  }

  reportUsage(): void {
    const chars = JSON.stringify(this.backend.items).length + this.voice.spokenMs / 65;
    this.emit({ type: 'session.usage.updated', usage: { seconds: this.usageSeconds() }, context_window: { usage_ratio: Math.min(1, Math.round((chars / 4 / 128_000) * 10_000) / 10_000) } });
  }

  inject(frames: readonly string[]): number {
    if (this.state !== 'open') return 0;
    return this.#outbox.injectRaw(frames);
  }

  receive(text: string): void {
    if (this.state !== 'open') return;
    this.#received += 1;
    if (text.length > MAX_CLIENT_FRAME) {
      this.recorder.clientUnparseable(text, 'frame too large');
      this.error('invalid_request_error', `Client event too large: ${text.length} bytes (limit ${MAX_CLIENT_FRAME}).`);
      return;
    }
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (error) {
      this.recorder.clientUnparseable(text, `not JSON: ${(error as Error).message}`);
      this.error('invalid_json', `The server could not parse the client event as JSON: ${(error as Error).message}`);
      return;
    }
    this.recorder.client(event);
    try {
      handleLiveClientEvent(this, event);
    } catch (error) {
      this.error('server_error', `The emulator failed handling this event: ${String(error)}`, { type: 'server_error' });
    }
  }

  appendTrackAudio(samples: Int16Array, sampleRate: number): void {
    if (this.state !== 'open') return;
    try {
      this.input.append(samples, sampleRate);
    } catch (error) {
      this.error('server_error', `The emulator failed handling microphone audio: ${String(error)}`, { type: 'server_error' });
    }
  }

  // GPT-Live reports no playback boundaries; the track player's are not events here.
  playbackStarted(): void {}
  playbackStopped(): void {}

  setFaults(faults: EmulatorFaults): void {
    this.faults.set(faults);
    if (this.state === 'open' && this.faults.dropNow) this.drop('fault: dropped on request');
  }

  onClose(listener: (reason: string) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  drop(reason: string): void {
    this.close(reason);
  }

  /** `session.close`: the terminal `session.closed` with the final usage, then the connection ends. */
  closeRequested(): void {
    this.voice.shutdown();
    this.closedAt = Date.now();
    this.emit({ type: 'session.closed', reason: 'close_requested', session: this.resource, usage: { seconds: this.usageSeconds() } });
    // Let the event leave before the channel goes.
    setTimeout(() => this.close('session.close'), 50).unref();
  }

  close(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedAt ??= Date.now();
    this.closeReason = reason;
    clearInterval(this.#usageTimer);
    this.#outbox.discard();
    this.voice.shutdown();
    this.backend.shutdown();
    const channel = this.#channel;
    this.#channel = undefined;
    try {
      channel?.drop();
    } catch {
      // Best effort: the transport may already be gone.
    }
    for (const listener of this.#closeListeners) {
      try {
        listener(reason);
      } catch {
        // The session is closed either way.
      }
    }
    this.#closeListeners.clear();
  }

  info(): EmulatorSessionInfo {
    return {
      id: this.id,
      api: 'live',
      transport: this.transport,
      model: this.resource.model,
      state: this.state,
      createdAt: this.createdAt,
      ...(this.closedAt ? { closedAt: this.closedAt } : {}),
      ...(this.closeReason ? { closeReason: this.closeReason } : {}),
      eventsSent: this.#sent,
      eventsReceived: this.#received,
      violationCount: this.recorder.violations.length,
      inputAudio: { receivedMs: Math.round(this.input.receivedMs), bufferedMs: 0 },
      // GPT-Live's sideband (`/v1/live/sessions/{id}/attach`) is not emulated.
      sidebands: 0,
    };
  }

  log(): EmulatorSessionLog {
    return {
      ...this.info(),
      session: structuredClone(this.resource) as unknown as EmulatorSessionLog['session'],
      items: structuredClone(this.backend.items) as EmulatorSessionLog['items'],
      events: [...this.recorder.events],
      violations: [...this.recorder.violations],
      faults: this.faults.current,
    };
  }

  /** The delegation owner of this session. */
  get delegationType(): 'client' | 'responses' | 'decisions' {
    return delegationType(this.resource);
  }
}
