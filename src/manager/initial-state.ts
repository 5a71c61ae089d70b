/**
 * The manager's state before any session: its own module so that what answers before the manager
 * loads (lazy-manager.ts) shares it without the state store.
 */
import type { RealtimeState } from './types.js';

export const IDLE_RESPONSE: RealtimeState['response'] = Object.freeze({ id: null, status: 'idle', text: '' });

export const INITIAL_STATE: RealtimeState = Object.freeze({
  connection: 'idle',
  session: Object.freeze({ status: 'idle', id: null, config: null }),
  response: IDLE_RESPONSE,
  audioPlaying: false,
  awaitingResponse: false,
  busy: false,
  pendingToolCalls: 0,
  reconnecting: false,
  lastError: null,
  microphone: 'off',
});

