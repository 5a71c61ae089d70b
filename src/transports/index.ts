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
