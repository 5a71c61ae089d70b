/**
 * Reading an upstream response body as a stream with a byte cap, so a misbehaving upstream (or one
 * impersonated on the path) cannot make the server buffer megabytes: the read stops at the cap and
 * the connection is released.
 * @packageDocumentation
 */
import { UpstreamError } from './errors.js';

/** How {@link readUpstreamText} treats a body past the cap. */
export interface UpstreamReadOptions {
  maxBytes: number;
  /**
   * `true` for error bodies: keep the first `maxBytes` and stop (the status already says what
   * happened). `false` for answers we need whole: past the cap is a 502 `upstream_response_too_large`.
   */
  truncate: boolean;
  /** For the error message: `OpenAI`. */
  upstreamName: string;
}

/**
 * Reads `response.body` as UTF-8 text, never holding more than `maxBytes` (plus one chunk). Read
 * failures (a reset, an abort) are thrown as they come, for the caller to classify.
 */
export async function readUpstreamText(response: Response, options: UpstreamReadOptions): Promise<string> {
  const { maxBytes, truncate } = options;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!truncate && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(options, response.status);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - total;
      total += value.byteLength;
      if (value.byteLength > room) {
        if (!truncate) throw tooLarge(options, response.status);
        text += decoder.decode(value.subarray(0, room));
        await reader.cancel().catch(() => undefined);
        return text;
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  return text + decoder.decode();
}

function tooLarge(options: UpstreamReadOptions, status: number): UpstreamError {
  return new UpstreamError('upstream_response_too_large', `${options.upstreamName} answered with more than ${options.maxBytes} bytes; the answer was dropped.`, {
    upstreamStatus: status,
  });
}
