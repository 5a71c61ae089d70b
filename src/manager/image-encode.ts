/**
 * The image encoder of `sendImage()` (see ./image-input.ts): draws the page's image once, scales it to
 * `maxEdge` and encodes it under `maxBytes`. Loaded by the manager on the first image sent, so a session
 * that sends none does not load it.
 * @packageDocumentation
 */
import { RealtimeError } from './errors.js';
import type { RealtimeImageInfo, ResolvedImageOptions as Resolved } from './image-input.js';

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
