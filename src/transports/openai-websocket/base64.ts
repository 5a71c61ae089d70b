/**
 * Base64 for audio frames. Uses `Uint8Array.fromBase64`/`toBase64` where the browser has them (fast,
 * no intermediate string per byte) and falls back to `atob`/`btoa` in slices small enough for
 * `String.fromCharCode.apply`.
 */

type Base64Uint8Array = typeof Uint8Array & { fromBase64?: (text: string) => Uint8Array };
type Base64Bytes = Uint8Array & { toBase64?: () => string };

const SLICE = 0x8000;

/** Bytes → base64. */
export function encodeBase64(buffer: ArrayBuffer | ArrayBufferView): string {
  const bytes = (ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer)) as Base64Bytes;
  if (typeof bytes.toBase64 === 'function') return bytes.toBase64();
  let binary = '';
  for (let at = 0; at < bytes.length; at += SLICE) {
    binary += String.fromCharCode.apply(null, bytes.subarray(at, at + SLICE) as unknown as number[]);
  }
  return btoa(binary);
}

/** base64 → bytes; throws on text that is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const native = (Uint8Array as Base64Uint8Array).fromBase64;
  if (typeof native === 'function') return native(text) as Uint8Array<ArrayBuffer>;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
