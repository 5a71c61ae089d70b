/**
 * Guarded mode: server-side watchers that hold live `openai-webrtc` calls to the route's policy.
 * @packageDocumentation
 */
export { CallGuard } from './call-guard.js';
export type {
  CallGuardConfig,
  RealtimeCallGuardAction,
  RealtimeCallGuardEndReason,
  RealtimeCallGuardEvent,
  RealtimeCallGuardHangupReason,
} from './call-guard.js';
export { RealtimeCallGuardError } from './errors.js';
export type { RealtimeCallGuardErrorCode } from './errors.js';
export { createRealtimeCallGuards } from './guards.js';
export type { GuardLog, RealtimeCallGuardOptions, RealtimeCallGuards } from './guards.js';
export { ownedFieldsForCall, ownedFieldsOf, ownedSessionFields, WIRE_PATHS } from './owned-fields.js';
export type { OwnedField, OwnedFieldName, OwnedFieldRule } from './owned-fields.js';
export { findViolations, restorePatch, WIRE_DEFAULTS } from './session-check.js';
export type { OwnedFieldViolation } from './session-check.js';
export type { GuardSocket, GuardWebSocketConstructor } from './socket.js';
