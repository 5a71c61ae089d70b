/** Every event of {@link RealtimeTransportEventMap}, for code that forwards all of them. */
import type { RealtimeTransportEventName } from './types.js';

export const TRANSPORT_EVENT_NAMES = [
  'session:opened',
  'connection:lost',
  'user:transcript',
  'user:speech-start',
  'user:speech-stop',
  'microphone',
  'idle:timeout',
  'assistant:start',
  'assistant:delta',
  'assistant:done',
  'tool:call',
  'audio:start',
  'audio:end',
  'lipsync',
  'usage',
  'delegation',
  'error',
] as const satisfies readonly RealtimeTransportEventName[];

// Compile-time check that the list is complete.
type Missing = Exclude<RealtimeTransportEventName, (typeof TRANSPORT_EVENT_NAMES)[number]>;
const complete: Missing extends never ? true : Missing = true;
void complete;
