/**
 * Browser failures (getUserMedia's and setSinkId's DOMExceptions) mapped to {@link AudioDeviceError}
 * codes. Session code: apart from ./errors.ts, which the tags' first load needs for the class alone.
 * @packageDocumentation
 */
import { AudioDeviceError } from './errors.js';

/** Maps a getUserMedia failure to an {@link AudioDeviceError}. */
export function toMicrophoneError(error: unknown): AudioDeviceError {
  if (error instanceof AudioDeviceError) return error;
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return new AudioDeviceError(
        'microphone_permission_denied',
        'Microphone access was denied. Allow the microphone for this site and try again.',
        { cause: error },
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return new AudioDeviceError('microphone_not_found', 'No microphone was found. Connect one and try again.', {
        cause: error,
      });
    case 'NotReadableError':
    case 'AbortError':
      return new AudioDeviceError(
        'microphone_busy',
        'The microphone could not be started; another application may be using it.',
        { cause: error },
      );
    default:
      return new AudioDeviceError(
        'microphone_unsupported',
        `The microphone could not be opened: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
  }
}

/** Maps a `setSinkId()` failure to an {@link AudioDeviceError}. */
export function toSpeakerError(error: unknown): AudioDeviceError {
  if (error instanceof AudioDeviceError) return error;
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new AudioDeviceError('speaker_not_found', 'That audio output is not available any more.', { cause: error });
    case 'NotAllowedError':
    case 'SecurityError':
      return new AudioDeviceError('speaker_permission_denied', `The browser did not allow choosing the audio output: ${detail}`, { cause: error });
    default:
      return new AudioDeviceError('speaker_unsupported', `The audio output could not be changed: ${detail}`, { cause: error });
  }
}
