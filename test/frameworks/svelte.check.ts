// Type-level checks of src/frameworks/svelte.ts (compiled by `tsc -p tsconfig.json`, never run). svelte-check
// types `<charivo-realtime …>` in a template with `SvelteHTMLElements['charivo-realtime']`.
import type { SvelteHTMLElements } from 'svelte/elements';
import type { RealtimeToolRegistration } from '../../src/manager/index.js';
import type {} from '../../src/frameworks/svelte.js';

declare const tools: RealtimeToolRegistration[];

export const realtime: SvelteHTMLElements['charivo-realtime'] = {
  tools,
  pushToTalk: false,
  muted: false,
  'push-to-talk': true,
  class: ['voice', { live: true }],
  'oncharivo-tool-call': (event) => {
    const name: string = event.detail.name;
    void [name, event.currentTarget.tools];
  },
  'on:charivo-tool-call': (event) => void event.detail.callId,
  'oncharivo-avatar-ready': (event) => void event.detail.renderer,
};
export const avatar: SvelteHTMLElements['charivo-avatar'] = { 'avatar-tools': true, for: 'session', expression: 'happy' };

// @ts-expect-error `push-to-talk={false}` would write the text "false" (present): bind pushToTalk instead
export const falseAttribute: SvelteHTMLElements['charivo-realtime'] = { 'push-to-talk': false };
export const wrongDetail: SvelteHTMLElements['charivo-realtime'] = {
  // @ts-expect-error the detail of charivo-tool-call has no `result`
  'oncharivo-tool-call': (event) => event.detail.result.ok,
};
// @ts-expect-error bars is a number
export const wrongBars: SvelteHTMLElements['charivo-mic-meter'] = { bars: [] };
