/**
 * A local server that speaks OpenAI's Realtime protocol over loopback — WebRTC (a real peer
 * connection through @roamhq/wrtc) and WebSocket — with a scripted assistant, synthesized speech,
 * energy-based turn detection, fault injection and schema-checked event logs. Demos and tests run
 * with no API key and no internet. Node only.
 * @packageDocumentation
 */
export { startRealtimeEmulator } from './server.js';
export type { RealtimeEmulator, RealtimeEmulatorOptions } from './server.js';
export { startRealtimeEmulatorProcess } from './process.js';
export type { EmulatorCrash, RealtimeEmulatorAddress, RealtimeEmulatorProcess, RealtimeEmulatorProcessOptions } from './process.js';
export type { EmulatorHostOptions } from './host-protocol.js';
export type { EmulatorFaults } from './faults.js';
export type { EmulatorRule, EmulatorScenario, EmulatorToolCall, EmulatorTurn } from './scenario.js';
export type { EmulatorSessionInfo, EmulatorSessionLog } from './session.js';
export type { EmulatorEventRecord, EmulatorViolation } from './recorder.js';
export { planSpeech, synthesizeSpeech } from './audio-synth.js';
export type { SpeechPlan, SpeechSegment, SpeechTiming } from './audio-synth.js';
