/**
 * The assistant's output device: `setSinkId()` on the media element that plays it. Chromium has it;
 * Firefox has it from 116 (it lists outputs only once the page may use the microphone); WebKit has
 * not, and there the system's output is used (the picker says so). Choosing is in ./output-device.ts
 * (session code); this module only tells whether the browser can.
 * @packageDocumentation
 */
/** A media element with the output choice (`setSinkId`), where the browser has it. */
export type SinkElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string };

/** Whether this browser can choose where a media element plays. */
export function outputSelectionSupported(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && typeof (HTMLMediaElement.prototype as SinkElement).setSinkId === 'function';
}
