/**
 * What the emulator can tell about an image a client sends (`input_image`): its format and pixel size,
 * read from the PNG or JPEG header inside a `data:` URL. There is no model to look at it; the
 * scripted assistant says what it received, so a client's image path is tested end to end.
 */

/** An image as received. */
export interface ImageInfo {
  type: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** Bytes of the encoded image (after base64). */
  bytes: number;
}

const DATA_URL = /^data:(image\/(?:png|jpeg));base64,([A-Za-z0-9+/]*={0,2})$/;

/**
 * Reads a `data:image/png|jpeg;base64,…` URL. Returns an error message (OpenAI accepts PNG and JPEG
 * as data URLs; the emulator, on loopback, fetches no other URL) when it is not one, or when the bytes
 * are not the image they claim to be.
 */
export function readImageDataUrl(url: string): ImageInfo | { error: string } {
  const match = DATA_URL.exec(url);
  if (!match) {
    return { error: 'expected a base64 data URL of a PNG or JPEG image (data:image/png;base64,… or data:image/jpeg;base64,…)' };
  }
  const type = match[1] as ImageInfo['type'];
  const bytes = Buffer.from(match[2]!, 'base64');
  const size = type === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
  if (!size) return { error: `the data is not a readable ${type === 'image/png' ? 'PNG' : 'JPEG'} image` };
  return { type, ...size, bytes: bytes.length };
}

/** Tokens the emulator charges for an image (tiles of 512 px at 170 each, plus 85): an approximation. */
export function imageTokens(image: Pick<ImageInfo, 'width' | 'height'>): number {
  return Math.ceil(image.width / 512) * Math.ceil(image.height / 512) * 170 + 85;
}

function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || !signature.every((byte, i) => bytes[i] === byte)) return undefined;
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return positive(bytes.readUInt32BE(16), bytes.readUInt32BE(20));
}

/** Walks the JPEG segments to the first start-of-frame marker, which holds the size. */
function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) return undefined;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) return undefined;
      return positive(bytes.readUInt16BE(at + 7), bytes.readUInt16BE(at + 5));
    }
    at += 2 + length;
  }
  return undefined;
}

function positive(width: number, height: number): { width: number; height: number } | undefined {
  return width > 0 && height > 0 ? { width, height } : undefined;
}
