export { FakeLevelSource, FakeRealtimeTransport } from './fake-transport.js';
export type {
  FakeTransportCall,
  FakeTransportEvent,
  FakeRealtimeTransportOptions,
  HeldCall,
  ScriptableMethod,
  ScriptedAnswer,
  ScriptedResponse,
} from './fake-transport.js';
export { duplicate, interleave, late, randomInt, seededRandom, shuffle } from './disorder.js';
