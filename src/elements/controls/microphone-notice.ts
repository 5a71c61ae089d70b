/**
 * What `<charivo-controls>` says when a session runs without a microphone (denied, none, busy): that
 * typing works, and how to get the microphone back. Empty when there is nothing to say.
 */
import type { MicrophoneStatus } from '../../manager/index.js';

export function microphoneNotice(status: MicrophoneStatus, sessionRunning: boolean): string {
  if (!sessionRunning) return '';
  switch (status) {
    case 'denied':
      return 'Microphone blocked: you can type your messages. To talk, allow the microphone for this site, then try again.';
    case 'absent':
      return 'No microphone found: you can type your messages. To talk, connect one, then try again.';
    case 'unavailable':
      return 'The microphone could not be started (another app may be using it): you can type your messages, or try again.';
    default:
      return '';
  }
}
