/**
 * Transports: the contract, the remote client (bootstrap through your route + adapter registry), the
 * protocol client every OpenAI adapter runs on, the one error vocabulary (`RealtimeTransportError`,
 * `TRANSPORT_ERROR_CODES`) and the audio parts. The OpenAI adapters are loaded by the remote client on
 * the first connect.
 * @packageDocumentation
 */
export type {
  AssistantPhase,
  BootstrapPolicy,
  DelegationAnswerKind,
  DelegationTarget,
  ConnectionLossCause,
  ConversationTurn,
  LevelSource,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  SessionOpened,
  TransportConnectRequest,
  TransportImage,
  TransportMicrophoneStatus,
  TransportResponseStatus,
  TransportRolloverRequest,
} from './types.js';
export { TRANSPORT_EVENT_NAMES } from './event-names.js';
export { RealtimeTransportError, TRANSPORT_ERROR_CODES } from './errors.js';
export type {
  ConnectionFailedReason,
  ProtocolErrorCode,
  RealtimeTransportErrorDetails,
  RemoteErrorCode,
  TransportErrorCode,
} from './errors.js';
export * from './protocol/index.js';
export { DeferredTransport } from './deferred-transport.js';
export * from './remote/index.js';
export * from './audio/index.js';
export { EngineSupportError, missingForTransport, supportsTransport } from './engine-support.js';
export { assertTransportSupported } from './engine-check.js';
export type { EngineSupportErrorCode, TransportKind } from './engine-support.js';
