/**
 * How a session's connection looks to the user, read from the manager's state the same way by every
 * element that shows it (`<charivo-controls>`, `<charivo-avatar>`).
 * @packageDocumentation
 */
import type { RealtimeState } from '../../manager/index.js';

/**
 * - `ok`: nothing to show (connected, connecting, or no session);
 * - `reconnecting`: the connection was lost and the manager is getting it back;
 * - `lost`: there is no connection and the manager stopped trying (reconnecting gave up, or the
 *   session could not start); the user must start again.
 */
export type ConnectionLook = 'ok' | 'reconnecting' | 'lost';

export function connectionLook(state: RealtimeState): ConnectionLook {
  if (state.reconnecting) return 'reconnecting';
  const running = state.session.status === 'starting' || state.session.status === 'active';
  return state.connection === 'error' && !running ? 'lost' : 'ok';
}

/** What the user reads about the connection: '' when there is nothing to say. */
export function connectionMessage(state: RealtimeState): string {
  switch (connectionLook(state)) {
    case 'reconnecting':
      return 'Reconnecting…';
    case 'lost': {
      const error = state.lastError;
      if (error?.code === 'reconnect_exhausted') return `Connection lost: ${error.message}`;
      return error ? `Could not connect: ${error.message}` : 'Could not connect.';
    }
    default:
      return '';
  }
}
