/**
 * Errors raised by the realtime route and providers. Each carries a stable `code` (what clients and
 * tests switch on; the message is for humans and may change) and the HTTP `status` the route answers
 * with, so the route maps any of them to a response without a lookup table.
 * @packageDocumentation
 */

/** Every code the route can put in `{ error: { code } }`. */
export type RealtimeRouteErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'request_timeout'
  | 'rate_limited'
  | 'rate_limit_unavailable'
  | 'client_closed_request'
  | 'policy_violation'
  | 'origin_not_allowed'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'missing_api_key'
  | 'invalid_configuration'
  | 'upstream_error'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_invalid_response'
  | 'upstream_response_too_large'
  | 'internal_error';

/** Base class: an error the route turns into `{ error: { code, message } }` with `status`. */
export class RealtimeRouteError extends Error {
  /** Stable machine-readable code. */
  readonly code: RealtimeRouteErrorCode;
  /** HTTP status the route responds with. */
  readonly status: number;
  /** Dotted path of the request field at fault (`session.speed`), when one is. */
  readonly field?: string;

  constructor(code: RealtimeRouteErrorCode, status: number, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    if (options?.field !== undefined) this.field = options.field;
  }
}

/** 400: the body is not JSON, or does not match the request schema. */
export class InvalidRequestError extends RealtimeRouteError {
  constructor(message: string, options?: { field?: string; code?: 'invalid_json' | 'invalid_request'; cause?: unknown }) {
    super(options?.code ?? 'invalid_request', 400, message, options);
  }
}

/** 400: the request is well formed but the server's policy does not allow it. */
export class PolicyViolationError extends RealtimeRouteError {
  constructor(message: string, field?: string) {
    super('policy_violation', 400, message, field === undefined ? undefined : { field });
  }
}

/**
 * 401: the route's `authorize` hook returned `false` (no valid session). Throw it from the hook to
 * choose the message.
 */
export class UnauthorizedError extends RealtimeRouteError {
  constructor(message = 'Sign in to start a realtime session.') {
    super('unauthorized', 401, message);
  }
}

/** 403: the caller is known but may not start a session. Throw it from the `authorize` hook. */
export class ForbiddenError extends RealtimeRouteError {
  constructor(message = 'You may not start a realtime session.') {
    super('forbidden', 403, message);
  }
}

/** 408: the request body did not arrive within the route's `bodyTimeoutMs`. */
export class RequestTimeoutError extends RealtimeRouteError {
  constructor(timeoutMs: number) {
    super('request_timeout', 408, `The request body did not arrive within ${timeoutMs} ms.`);
  }
}

/** 429: the caller's rate-limit budget is spent; `Retry-After` says when to try again. */
export class RateLimitedError extends RealtimeRouteError {
  /** Whole seconds until a new request may succeed (at least 1); sent as `Retry-After`. */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('rate_limited', 429, `Too many realtime sessions; try again in ${retryAfterSeconds} s.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 503: the rate limiter's store failed, so the route refuses rather than mint without a limit. */
export class RateLimitUnavailableError extends RealtimeRouteError {
  constructor(cause: unknown) {
    super('rate_limit_unavailable', 503, 'The rate limiter is unavailable; try again shortly.', { cause });
  }
}

/**
 * 499 (nginx's convention): the client went away before the route answered. Nobody reads the
 * response; it exists so the log line says what happened, at info level.
 */
export class ClientClosedRequestError extends RealtimeRouteError {
  constructor(cause?: unknown) {
    super('client_closed_request', 499, 'The client closed the request before the route answered.', cause === undefined ? undefined : { cause });
  }
}

/** 403: the `Origin` header names an origin the policy does not allow. */
export class OriginNotAllowedError extends RealtimeRouteError {
  constructor(origin: string) {
    super('origin_not_allowed', 403, `Origin ${origin} is not allowed to use this route.`);
  }
}

/** 405: only POST (and the OPTIONS preflight) are answered. */
export class MethodNotAllowedError extends RealtimeRouteError {
  constructor(method: string) {
    super('method_not_allowed', 405, `Method ${method} is not allowed; use POST.`);
  }
}

/** 413: the body is larger than the policy's `maxBodyBytes`. */
export class PayloadTooLargeError extends RealtimeRouteError {
  constructor(limit: number) {
    super('payload_too_large', 413, `Request body exceeds the limit of ${limit} bytes.`);
  }
}

/** 415: the body is not declared as JSON. */
export class UnsupportedMediaTypeError extends RealtimeRouteError {
  constructor(contentType: string | null) {
    super(
      'unsupported_media_type',
      415,
      `Content-Type must be application/json${contentType ? ` (got ${contentType.slice(0, 100)})` : ''}.`,
    );
  }
}

/** 500: the server has no API key to call the provider with. */
export class MissingApiKeyError extends RealtimeRouteError {
  constructor(variable = 'OPENAI_API_KEY') {
    super('missing_api_key', 500, `The server has no API key: set ${variable} or pass apiKey to the provider.`);
  }
}

/** Thrown at construction time when a route or provider option is out of range. */
export class InvalidConfigurationError extends RealtimeRouteError {
  constructor(message: string) {
    super('invalid_configuration', 500, message);
  }
}

/** 502: the provider's API failed, could not be reached, timed out, or answered nonsense. */
export class UpstreamError extends RealtimeRouteError {
  /** HTTP status the upstream answered with, when it answered. */
  readonly upstreamStatus?: number;

  constructor(
    code: 'upstream_error' | 'upstream_unreachable' | 'upstream_timeout' | 'upstream_invalid_response' | 'upstream_response_too_large',
    message: string,
    options?: { upstreamStatus?: number; cause?: unknown },
  ) {
    super(code, 502, message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.upstreamStatus !== undefined) this.upstreamStatus = options.upstreamStatus;
  }
}
