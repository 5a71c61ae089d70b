/**
 * No microphone, still a conversation. A microphone that is denied, missing or held by another
 * application no longer fails a session: the transport connects without one (typed turns, images,
 * voice or text replies) and reports the microphone's status; `retryMicrophone()` asks again later.
 * `MicrophoneOptions.required` restores the old behaviour (the connect fails with the device error).
 */
import type { TransportMicrophoneStatus } from '../types.js';
import { AudioDeviceError } from './errors.js';
import type { Microphone } from './microphone.js';

/** What a transport reports about its microphone (the payload of its `microphone` event). */
export interface MicrophoneReport {
  status: TransportMicrophoneStatus;
  error?: AudioDeviceError;
}

/** The status a microphone failure means, or null when it is not a microphone failure a session can live without. */
export function microphoneStatusFor(error: unknown): Exclude<TransportMicrophoneStatus, 'live'> | null {
  if (!(error instanceof AudioDeviceError)) return null;
  switch (error.code) {
    case 'microphone_permission_denied':
      return 'denied';
    case 'microphone_not_found':
    case 'microphone_unsupported':
      return 'absent';
    case 'microphone_busy':
      return 'unavailable';
    default:
      return null;
  }
}

/**
 * Opens `microphone`. A refusal the session can live without resolves as a report (unless
 * `required`); anything else (and every failure when `required`) rejects as before.
 */
export async function openMicrophone(microphone: Microphone, required: boolean): Promise<MicrophoneReport> {
  try {
    await microphone.open();
    return { status: 'live' };
  } catch (error) {
    const status = microphoneStatusFor(error);
    if (required || status === null) throw error;
    return { status, error: error as AudioDeviceError };
  }
}
