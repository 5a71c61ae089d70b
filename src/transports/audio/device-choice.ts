/**
 * The page's choice of microphone and speaker as a transport sees it: what to open when it
 * connects, and the changes to apply while it is connected. No code: {@link AudioDevices} is the
 * implementation the elements use; a page or a test may bring its own.
 * @packageDocumentation
 */

/** `input`: a microphone; `output`: where the assistant plays. */
export type AudioDeviceKind = 'input' | 'output';

/** A device change for a connected transport to apply (`deviceId` undefined: the system default). */
export interface AudioDeviceChange {
  kind: AudioDeviceKind;
  deviceId: string | undefined;
}

/** Applies a change to what a transport has open; rejects (with an `AudioDeviceError`) when it cannot. */
export type AudioDeviceApplier = (change: AudioDeviceChange) => Promise<void>;

/** The device choice a transport reads and follows. */
export interface AudioDeviceChoice {
  /** The microphone to open (`undefined`: the system default). */
  readonly input: string | undefined;
  /** Where the assistant plays (`undefined`: the system default). */
  readonly output: string | undefined;
  /**
   * Registers what applies changes to a live session; a transport attaches while it holds a
   * microphone or an output element and detaches when it lets them go. A change takes effect only
   * if every applier resolves. Returns the detach function.
   */
  attach(applier: AudioDeviceApplier): () => void;
  /**
   * The transport could not use the chosen device (it was missing when the session opened, or it
   * went away during the call) and fell back to the system default: the choice follows, visibly.
   */
  lost(kind: AudioDeviceKind, deviceId: string): void;
}
