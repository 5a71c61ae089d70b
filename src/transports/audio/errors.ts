/**
 * Audio errors with stable codes, so pages can say "allow the microphone" or "plug one in" without
 * parsing browser-specific DOMException names.
 */

/** Stable codes of {@link AudioDeviceError}. */
export type AudioDeviceErrorCode =
  | 'microphone_permission_denied'
  | 'microphone_not_found'
  | 'microphone_busy'
  | 'microphone_unsupported'
  | 'audio_unavailable'
  | 'speaker_unsupported'
  | 'speaker_not_found'
  | 'speaker_permission_denied';

export class AudioDeviceError extends Error {
  override readonly name = 'AudioDeviceError';
  constructor(
    readonly code: AudioDeviceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
