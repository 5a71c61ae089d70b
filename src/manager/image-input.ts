/**
 * Images for `sendImage()`: whatever the page has (a file, an `<img>`, a bitmap, a canvas, a video's
 * current frame) drawn once, scaled to fit `maxEdge`, and encoded (JPEG by default) under `maxBytes`:
 * lower quality first, then smaller, until it fits. The result is a `data:` URL, which is how OpenAI's
 * `input_image` takes an image. The options are checked here; the
 * encoder (./image-encode.ts) loads on the first image sent.
 *
 * The default byte bound keeps one image event inside a WebRTC data channel message (Chromium's
 * `maxMessageSize` is 256 KiB, and base64 adds a third): raise it for the WebSocket adapter if needed.
 */
import { RealtimeError } from './errors.js';

/** What `sendImage()` takes. */
export type RealtimeImageSource =
  | Blob
  | HTMLImageElement
  | ImageBitmap
  | HTMLCanvasElement
  | OffscreenCanvas
  | HTMLVideoElement
  | VideoFrame
  | ImageData;

/** Bounds and format of an image sent to the model. */
export interface RealtimeImageOptions {
  /** Longest edge in pixels after scaling (default 1024; smaller images are not enlarged). */
  maxEdge?: number;
  /** Most bytes of the encoded image (default 180 000). */
  maxBytes?: number;
  /** Encoding: `image/jpeg` (default; transparency becomes white) or `image/png`. */
  format?: 'image/jpeg' | 'image/png';
  /** JPEG quality to try first, in (0, 1] (default 0.85); lowered as needed to fit `maxBytes`. */
  quality?: number;
  /** How closely the model looks (OpenAI's `detail`: `auto`, `low`, `high`); the provider's default when left out. */
  detail?: 'auto' | 'low' | 'high';
}

/** What was sent: the encoded image's size, bytes and format. */
export interface RealtimeImageInfo {
  width: number;
  height: number;
  bytes: number;
  type: 'image/jpeg' | 'image/png';
  detail?: 'auto' | 'low' | 'high';
}

export const DEFAULT_IMAGE_OPTIONS: Readonly<Required<Omit<RealtimeImageOptions, 'detail'>>> = Object.freeze({
  maxEdge: 1024,
  maxBytes: 180_000,
  format: 'image/jpeg',
  quality: 0.85,
});

/** Image options with every bound set (what the encoder takes). */
export type ResolvedImageOptions = Required<Omit<RealtimeImageOptions, 'detail'>> & Pick<RealtimeImageOptions, 'detail'>;
type Resolved = ResolvedImageOptions;

/** Checks options from the page (over `base`); `invalid_argument` names the bad one. */
export function resolveImageOptions(options: unknown, base: Resolved, where: string): Resolved {
  if (options === undefined || options === null) return base;
  if (typeof options !== 'object') throw new RealtimeError('invalid_argument', `${where}: image options must be an object.`);
  const o = options as Record<string, unknown>;
  const out: Resolved = { ...base };
  const bad = (name: string, expected: string) =>
    new RealtimeError('invalid_argument', `${where}: ${name} must be ${expected}, got ${String(o[name])}.`);
  if (o.maxEdge !== undefined) {
    if (typeof o.maxEdge !== 'number' || !Number.isInteger(o.maxEdge) || o.maxEdge < 16 || o.maxEdge > 8192) throw bad('maxEdge', 'an integer from 16 to 8192');
    out.maxEdge = o.maxEdge;
  }
  if (o.maxBytes !== undefined) {
    if (typeof o.maxBytes !== 'number' || !Number.isInteger(o.maxBytes) || o.maxBytes < 100) throw bad('maxBytes', 'an integer >= 100');
    out.maxBytes = o.maxBytes;
  }
  if (o.format !== undefined) {
    if (o.format !== 'image/jpeg' && o.format !== 'image/png') throw bad('format', "'image/jpeg' or 'image/png'");
    out.format = o.format;
  }
  if (o.quality !== undefined) {
    if (typeof o.quality !== 'number' || !(o.quality > 0 && o.quality <= 1)) throw bad('quality', 'a number in (0, 1]');
    out.quality = o.quality;
  }
  if (o.detail !== undefined) {
    if (o.detail !== 'auto' && o.detail !== 'low' && o.detail !== 'high') throw bad('detail', "'auto', 'low' or 'high'");
    out.detail = o.detail;
  }
  return out;
}
