/**
 * Transports: the contract, the remote client (bootstrap through your route + adapter registry) and
 * the audio parts. The OpenAI adapters are loaded by the remote client on the first connect.
 * @packageDocumentation
 */
export type {
  ConnectionLossCause,
  ConversationTurn,
  LevelSource,
  RealtimeTransport,
  RealtimeTransportEventMap,
  RealtimeTransportEventName,
  TransportConnectRequest,
  TransportResponseStatus,
} from './types.js';
export { TRANSPORT_EVENT_NAMES } from './event-names.js';
export { DeferredTransport } from './deferred-transport.js';
export * from './remote/index.js';
export * from './audio/index.js';
export { assertTransportSupported, EngineSupportError, missingForTransport, supportsTransport } from './engine-support.js';
export type { EngineSupportErrorCode, TransportKind } from './engine-support.js';
