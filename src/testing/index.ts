export { FakeLevelSource, FakeRealtimeTransport } from './fake-transport.js';
export type { FakeTransportCall, HeldCall, ScriptableMethod, ScriptedAnswer, ScriptedResponse } from './fake-transport.js';
