/**
 * What `<charivo-realtime>` provides to its descendants (and to siblings bound with `for="id"`): one
 * stable handle per element. Consumers read state from it and sample the 60 Hz levels from it; they
 * re-render only when what they show changes.
 * @packageDocumentation
 */
import { createContext } from '@lit/context';
import type { MicrophoneStatus, RealtimeImageInfo, RealtimeImageOptions, RealtimeImageSource, RealtimeManager, RealtimeState } from '../manager/index.js';
import type { AudioDevicesState } from '../transports/audio/audio-devices.js';
import type { AudioDeviceKind } from '../transports/audio/device-choice.js';
import type { LevelSource } from '../transports/types.js';

/**
 * The session's microphone and speaker choice (what `<charivo-device-picker>` shows and changes):
 * `<charivo-realtime>`'s `AudioDevices`.
 */
export interface CharivoDevices {
  /** The lists, the choice and any notice; a new object after every change. */
  readonly state: AudioDevicesState;
  /** Calls `listener` after every change of `state`; while anyone listens, the lists follow hot-plugging. */
  subscribe(listener: () => void): () => void;
  /** Lists the devices again. */
  refresh(): Promise<void>;
  /** Chooses a device (`undefined`: the system default), switches the live session, remembers it; rejects with an `AudioDeviceError`. */
  select(kind: AudioDeviceKind, deviceId: string | undefined): Promise<void>;
}

/** The actions a control element may take on its session. */
export interface CharivoSessionActions {
  start(): Promise<void>;
  /** Fetches the code a start runs, starting nothing (optional: a page's own handle may lack it). */
  preload?(): Promise<void>;
  stop(): Promise<void>;
  send(text: string): Promise<void>;
  interrupt(): Promise<void>;
  setMuted(muted: boolean): void;
  /** Push-to-talk: begin collecting the user's speech. */
  startTalking(): Promise<void>;
  /** Push-to-talk: commit what was said and ask for a reply. */
  stopTalking(): Promise<void>;
  /** Asks for the microphone again after it was denied or missing. */
  retryMicrophone(): Promise<MicrophoneStatus>;
  /** Shows the model a picture, with `text`; a reply follows. */
  sendImage(source: RealtimeImageSource, text?: string, options?: RealtimeImageOptions): Promise<RealtimeImageInfo>;
}

/** The session handle. The object is stable for the life of its `<charivo-realtime>`. */
export interface CharivoSession extends CharivoSessionActions {
  /** The element's manager: subscribe to its events for transcripts, tool calls, usage. */
  readonly manager: RealtimeManager;
  /** The current state snapshot (same as `manager.getState()`). */
  readonly state: RealtimeState;
  /** Whether the microphone is muted. */
  readonly muted: boolean;
  /** Whether push-to-talk is on (turn detection off). */
  readonly pushToTalk: boolean;
  /** Assistant voice (`output`) and microphone (`input`) levels, sampled per animation frame. */
  readonly levels: { readonly output: LevelSource; readonly input: LevelSource };
  /** The microphone and speaker choice; absent on sessions that have none (a page's own handle). */
  readonly devices?: CharivoDevices;
  /** Calls `listener` after any change of `state`, `muted` or `pushToTalk`. Returns an unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** The context key. `Symbol.for` so two copies of the bundle on one page still meet. */
export const sessionContext = createContext<CharivoSession | undefined>(Symbol.for('charivo-elements.session'));
