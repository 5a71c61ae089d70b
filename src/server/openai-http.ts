/**
 * HTTP to OpenAI for the provider: one request with the server's key, non-2xx answers and network
 * failures turned into {@link UpstreamError} with a scrubbed message, bodies read with a cap.
 * @packageDocumentation
 */
import { z } from 'zod';
import { UpstreamError } from './errors.js';
import { limitLength } from './redact.js';
import { readUpstreamText } from './upstream-body.js';

/** Error bodies OpenAI sends: `{ error: { message, type, code, param } }`. */
const openAIErrorSchema = z.object({
  error: z.object({ message: z.string().optional(), code: z.string().nullish(), type: z.string().nullish() }),
});

/** Most of an error body we read: bounded so a misbehaving upstream cannot make us buffer megabytes. */
const MAX_ERROR_BODY_BYTES = 16_384;

/** What one provider call needs to talk to OpenAI. */
export interface UpstreamContext {
  base: string;
  key: string;
  signal: AbortSignal | undefined;
  doFetch: (url: string, init: RequestInit) => Promise<Response>;
  redact: (text: string) => string;
  maxResponseBytes: number;
  /** How messages name the upstream: `OpenAI`, or e.g. `the local emulator`. */
  name: string;
}

/** `name` at the start of a sentence. */
function capitalised(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Sends one upstream request, turning network failures and non-2xx answers into {@link UpstreamError}. */
export async function send(ctx: UpstreamContext, url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await ctx.doFetch(url, { ...init, signal: ctx.signal ?? null, redirect: 'manual' });
  } catch (cause) {
    throw abortOrNetworkError(ctx, cause);
  }
  if (response.ok) return response;

  let detail = '';
  try {
    detail = describeUpstreamError(await readBody(ctx, response, true));
  } catch (error) {
    if (error instanceof UpstreamError && error.code === 'upstream_timeout') throw error;
  }
  const message = ctx.redact(`${capitalised(ctx.name)} answered ${response.status}${detail ? `: ${detail}` : ''}`);
  throw new UpstreamError('upstream_error', limitLength(message), { upstreamStatus: response.status });
}

/**
 * Reads a response body as text, streaming with a cap: error bodies are cut at 16 KiB, answers past
 * `maxResponseBytes` are a 502. A timeout while reading is still a timeout.
 */
export async function readBody(ctx: UpstreamContext, response: Response, isErrorBody: boolean): Promise<string> {
  try {
    return await readUpstreamText(response, {
      maxBytes: isErrorBody ? Math.min(MAX_ERROR_BODY_BYTES, ctx.maxResponseBytes) : ctx.maxResponseBytes,
      truncate: isErrorBody,
      upstreamName: ctx.name,
    });
  } catch (cause) {
    if (cause instanceof UpstreamError) throw cause;
    throw abortOrNetworkError(ctx, cause);
  }
}

function abortOrNetworkError(ctx: UpstreamContext, cause: unknown): UpstreamError {
  if (ctx.signal?.aborted) {
    const reason = ctx.signal.reason as { name?: string } | undefined;
    if (reason?.name === 'TimeoutError') {
      return new UpstreamError('upstream_timeout', `${capitalised(ctx.name)} did not answer in time.`, { cause });
    }
    return new UpstreamError('upstream_error', `The request to ${ctx.name} was aborted.`, { cause });
  }
  const detail = cause instanceof Error ? errorDetail(cause) : String(cause);
  return new UpstreamError('upstream_unreachable', limitLength(ctx.redact(`Could not reach ${ctx.name}: ${detail}`)), { cause });
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function errorDetail(error: Error): string {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const inner = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return inner ? `${error.message} (${inner})` : error.message;
}

function describeUpstreamError(text: string): string {
  try {
    const parsed = openAIErrorSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      const { message, code } = parsed.data.error;
      return [message, code ? `(${code})` : ''].filter(Boolean).join(' ');
    }
  } catch {
    // Not JSON: fall through to the raw text, which proxies and gateways send.
  }
  return text.replace(/\s+/g, ' ').trim();
}
