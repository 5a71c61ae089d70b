// Type-level checks of src/frameworks/vue.ts (compiled by `tsc -p tsconfig.json`, never run). vue-tsc reads a
// custom element's template props from `$props` and its `@event` listeners from `$emit` of the
// `GlobalComponents` entry; these checks look at the same two types.
import type { GlobalComponents } from 'vue';
import type { CharivoEvent } from '../../src/elements/index.js';
import type { CharivoEventDetailMap } from '../../src/elements/index.js';
import type { RealtimeToolRegistration } from '../../src/manager/index.js';
import type {} from '../../src/frameworks/vue.js';

type Instance<T extends keyof GlobalComponents> = InstanceType<GlobalComponents[T]>;
type RealtimeProps = Instance<'charivo-realtime'>['$props'];

declare const tools: RealtimeToolRegistration[];
declare const toolCall: CharivoEvent<CharivoEventDetailMap['charivo-tool-call']>;

export const props: RealtimeProps = {
  tools,
  pushToTalk: false,
  'push-to-talk': null,
  muted: true,
  endpoint: '/api/realtime',
  character: { name: 'Ada' },
  class: 'voice',
  key: 'session',
};
export const transcriptProps: Instance<'charivo-transcript'>['$props'] = { 'max-turns': '50', maxTurns: 50, for: 'session' };

// @ts-expect-error `:push-to-talk="false"` would write the text "false" (present): bind pushToTalk instead
export const falseAttribute: RealtimeProps = { 'push-to-talk': false };
// @ts-expect-error tools is an array of registrations
export const wrongTools: RealtimeProps = { tools: 'get_weather' };

declare const emit: Instance<'charivo-realtime'>['$emit'];
emit('charivo-tool-call', toolCall);
// @ts-expect-error the listener of charivo-tool-call receives its CharivoEvent
emit('charivo-tool-call', new Event('x'));

// The element itself stays typed for template refs (`useTemplateRef<CharivoRealtime>`).
declare const element: Instance<'charivo-realtime'>;
export const started: Promise<void> = element.start();
