/**
 * The elements. Importing this module defines every tag (guarded: loading twice is harmless).
 * @packageDocumentation
 */
export { CharivoRealtime } from './realtime/define.js';
export { CharivoEvent, toDomEventName } from './realtime/realtime-events.js';
export { registerRealtimeAdapter, registeredRealtimeAdapters, unregisterRealtimeAdapter } from './realtime/adapter-registry.js';
export type { CharivoDomEventName, CharivoErrorDetail, CharivoEventDetailMap, CharivoEventMap } from './realtime/realtime-events.js';
export { CharivoAvatar, CharivoAvatarReadyEvent } from './avatar/define.js';
export { CharivoMicMeter } from './mic-meter/define.js';
export type { MicMeterState } from './mic-meter/define.js';
export { CharivoTranscript } from './transcript/define.js';
export type { AssistantTurn, AssistantTurnStatus, ToolTurn, TranscriptTurn, UserTurn } from './transcript/define.js';
export { CharivoControls } from './controls/define.js';
export type { CharivoControlName } from './controls/define.js';
export { CharivoMetrics } from './metrics/define.js';
export { CharivoDevicePicker } from './device-picker/define.js';
export type { CharivoDevicePickerPart } from './device-picker/define.js';
export { sessionContext } from './session-context.js';
export type { CharivoDevices, CharivoSession, CharivoSessionActions } from './session-context.js';
