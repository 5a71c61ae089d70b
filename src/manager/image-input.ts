/**
 * Images for `sendImage()`: whatever the page has (a file, an `<img>`, a bitmap, a canvas, a video's
 * current frame) drawn once, scaled to fit `maxEdge`, and encoded (JPEG by default) under `maxBytes`:
 * lower quality first, then smaller, until it fits. The result is a `data:` URL, which is how OpenAI's
 * `input_image` takes an image. Browser code, reached only when an image is sent.
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

type Resolved = Required<Omit<RealtimeImageOptions, 'detail'>> & Pick<RealtimeImageOptions, 'detail'>;

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

/** The smallest edge the encoder shrinks to before giving up on `maxBytes`. */
const MIN_EDGE = 16;
const QUALITY_STEPS = [0.7, 0.55, 0.4];

/** Reads, scales and encodes `source`; rejects `invalid_image` or `image_too_large`. */
export async function encodeImage(source: unknown, options: Resolved): Promise<{ dataUrl: string; info: RealtimeImageInfo }> {
  const drawable = await toDrawable(source);
  try {
    const scale = Math.min(1, options.maxEdge / Math.max(drawable.width, drawable.height));
    let width = Math.max(1, Math.round(drawable.width * scale));
    let height = Math.max(1, Math.round(drawable.height * scale));
    const qualities = options.format === 'image/jpeg' ? [options.quality, ...QUALITY_STEPS.filter((q) => q < options.quality)] : [1];
    let smallest = Infinity;
    for (;;) {
      for (const quality of qualities) {
        const blob = await render(drawable, width, height, options.format, quality);
        smallest = Math.min(smallest, blob.size);
        if (blob.size <= options.maxBytes) {
          const type = blob.type === 'image/png' ? 'image/png' : 'image/jpeg';
          const info: RealtimeImageInfo = { width, height, bytes: blob.size, type, ...(options.detail ? { detail: options.detail } : {}) };
          return { dataUrl: `data:${type};base64,${await base64(blob)}`, info };
        }
      }
      if (Math.max(width, height) * 0.75 < MIN_EDGE) break;
      width = Math.max(1, Math.round(width * 0.75));
      height = Math.max(1, Math.round(height * 0.75));
    }
    throw new RealtimeError(
      'image_too_large',
      `sendImage: the image does not fit in ${options.maxBytes} bytes even at ${width}×${height} (smallest ${smallest} bytes); raise maxBytes.`,
    );
  } finally {
    drawable.release();
  }
}

interface Drawable {
  width: number;
  height: number;
  image: CanvasImageSource | ImageData;
  release(): void;
}

const invalid = (message: string, cause?: unknown) => new RealtimeError('invalid_image', `sendImage: ${message}`, cause === undefined ? undefined : { cause });

function isA<T>(name: string, value: unknown): value is T {
  const ctor = (globalThis as Record<string, unknown>)[name];
  return typeof ctor === 'function' && value instanceof (ctor as new () => unknown);
}

async function toDrawable(source: unknown): Promise<Drawable> {
  const keep = (image: CanvasImageSource | ImageData, width: number, height: number, release = () => {}): Drawable => {
    if (!(width > 0 && height > 0)) throw invalid('the image has no pixels (0×0).');
    return { image, width, height, release };
  };
  if (isA<Blob>('Blob', source)) {
    if (source.size === 0) throw invalid('the file is empty.');
    if (source.type && !source.type.startsWith('image/')) throw invalid(`a ${source.type} file is not an image.`);
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(source);
    } catch (error) {
      throw invalid('the file could not be decoded as an image.', error);
    }
    return keep(bitmap, bitmap.width, bitmap.height, () => bitmap.close());
  }
  if (isA<HTMLImageElement>('HTMLImageElement', source)) {
    if (!source.complete || source.naturalWidth === 0) {
      try {
        await source.decode();
      } catch (error) {
        throw invalid(`the <img> did not load${source.currentSrc ? ` (${source.currentSrc.slice(0, 80)})` : ''}.`, error);
      }
    }
    return keep(source, source.naturalWidth, source.naturalHeight);
  }
  if (isA<HTMLVideoElement>('HTMLVideoElement', source)) {
    // HAVE_CURRENT_DATA: there is a frame to draw.
    if (source.readyState < 2 || source.videoWidth === 0) throw invalid('the <video> has no frame yet (wait for loadeddata).');
    return keep(source, source.videoWidth, source.videoHeight);
  }
  if (isA<ImageBitmap>('ImageBitmap', source)) return keep(source, source.width, source.height);
  if (isA<HTMLCanvasElement>('HTMLCanvasElement', source) || isA<OffscreenCanvas>('OffscreenCanvas', source)) {
    return keep(source, source.width, source.height);
  }
  if (isA<VideoFrame>('VideoFrame', source)) return keep(source, source.displayWidth, source.displayHeight);
  if (isA<ImageData>('ImageData', source)) return keep(source, source.width, source.height);
  throw invalid('expected a Blob or File, an <img>, an ImageBitmap, a canvas, a <video>, a VideoFrame or ImageData.');
}

async function render(drawable: Drawable, width: number, height: number, type: string, quality: number): Promise<Blob> {
  const canvas = makeCanvas(width, height);
  const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!context) throw invalid('this browser cannot draw images (no 2D canvas).');
  if (type === 'image/jpeg') {
    // JPEG has no transparency: what was transparent becomes white, not black.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
  }
  if (drawable.image instanceof ImageData) {
    const bitmap = await createImageBitmap(drawable.image);
    context.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
  } else {
    context.drawImage(drawable.image, 0, 0, width, height);
  }
  try {
    if ('convertToBlob' in canvas) return await canvas.convertToBlob({ type, quality });
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob gave nothing'))), type, quality),
    );
  } catch (error) {
    if ((error as Error)?.name === 'SecurityError') throw invalid('the image comes from another origin without CORS, so the page may not read it.', error);
    throw invalid(`the image could not be encoded: ${(error as Error)?.message ?? String(error)}`, error);
  }
}

function makeCanvas(width: number, height: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

async function base64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}
