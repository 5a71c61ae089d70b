/**
 * The route's `authorize` hook: the app decides who may mint, from the request alone (a session
 * cookie, a bearer token), before the route reads the body or calls the provider.
 * @packageDocumentation
 */
import { InvalidConfigurationError, RealtimeRouteError, UnauthorizedError } from './errors.js';

/**
 * What `authorize` may return: the subject (a user id, as a string or `{ subject }`), which keys the
 * rate limit and the audit line; `false` for 401 `unauthorized`; or a `Response`, sent as it is (a
 * redirect to your login page, your own 403). Throwing `ForbiddenError` / `UnauthorizedError` gives
 * 403 / 401 JSON errors with your message; throwing anything else is a 500 (the route fails closed).
 */
export type RealtimeAuthorizeResult = string | false | Response | { subject: string };

/** The route's `authorize` option. */
export type RealtimeAuthorize = (request: Request) => RealtimeAuthorizeResult | Promise<RealtimeAuthorizeResult>;

/** The outcome of running the hook: who it is, or the Response the app chose. */
export type AuthorizeOutcome = { subject: string | undefined } | { response: Response };

/** Longest subject kept: it goes into rate-limit keys and log lines. */
const MAX_SUBJECT_LENGTH = 256;

/** Runs `authorize` (when set) and checks what it returned. */
export async function runAuthorize(authorize: RealtimeAuthorize | undefined, request: Request): Promise<AuthorizeOutcome> {
  if (!authorize) return { subject: undefined };
  let result: RealtimeAuthorizeResult;
  try {
    result = await authorize(request);
  } catch (error) {
    if (error instanceof RealtimeRouteError) throw error;
    throw new RealtimeRouteError('internal_error', 500, 'The authorize hook failed.', { cause: error });
  }
  if (result === false) throw new UnauthorizedError();
  if (result instanceof Response) return { response: result };
  const subject = typeof result === 'string' ? result : typeof result === 'object' && result !== null ? result.subject : undefined;
  if (typeof subject !== 'string' || subject === '' || subject.length > MAX_SUBJECT_LENGTH) {
    // `true`, `undefined`, an empty id: a hook bug must not read as "let everyone in".
    throw new InvalidConfigurationError(
      `authorize must return a subject string (1–${MAX_SUBJECT_LENGTH} characters), { subject }, false or a Response.`,
    );
  }
  return { subject };
}
