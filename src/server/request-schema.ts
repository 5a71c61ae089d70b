/**
 * The body the browser posts to the realtime route, and the checks between its fields (transport
 * matches adapter, SDP offer exactly when the adapter needs one). Providers reuse it so a direct
 * `provider.createSession()` call is held to the same rules as a route request.
 * @packageDocumentation
 */
import { z } from 'zod';
import { ADAPTER_TRANSPORT, REALTIME_ADAPTERS } from './bootstrap.js';
import { describeIssue, realtimeSessionConfigSchema } from '../session/session-config.js';
import { InvalidRequestError } from './errors.js';
import { liveHistorySchema } from './live-history.js';

/** Adapters whose browser sends an SDP offer for the server to post upstream. */
const OFFER_ADAPTERS: readonly string[] = ['openai-webrtc', 'openai-live-webrtc'];

/** Schema for the route's request body: `{ adapter, transport?, session?, sdp?, history? }`. */
export const realtimeRouteRequestSchema = z
  .strictObject({
    adapter: z.enum(REALTIME_ADAPTERS, { error: `must be one of ${REALTIME_ADAPTERS.join(', ')}` }),
    transport: z.enum(['webrtc', 'websocket'], { error: 'must be "webrtc" or "websocket"' }).optional(),
    session: z.optional(realtimeSessionConfigSchema),
    sdp: z
      .string()
      .regex(/^v=0\r?\n/, { error: 'must be an SDP offer (starting with "v=0")' })
      .optional(),
    history: liveHistorySchema.optional(),
  })
  .superRefine((body, ctx) => {
    const expected = ADAPTER_TRANSPORT[body.adapter];
    if (body.transport !== undefined && body.transport !== expected) {
      ctx.addIssue({ code: 'custom', path: ['transport'], message: `adapter ${body.adapter} uses "${expected}", not "${body.transport}"` });
    }
    const takesOffer = OFFER_ADAPTERS.includes(body.adapter);
    if (takesOffer && body.sdp === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sdp'], message: `is required with adapter ${body.adapter} (the browser SDP offer)` });
    }
    if (!takesOffer && body.sdp !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['sdp'], message: `is only accepted with adapters ${OFFER_ADAPTERS.join(' and ')}, not ${body.adapter}` });
    }
    if (body.history !== undefined && body.adapter !== 'openai-live-webrtc') {
      ctx.addIssue({ code: 'custom', path: ['history'], message: `is only accepted with adapter openai-live-webrtc, not ${body.adapter}` });
    }
  });

/** A parsed route request body. */
export type RealtimeRouteRequest = z.infer<typeof realtimeRouteRequestSchema>;

/**
 * Parses `value` as a route request, throwing {@link InvalidRequestError} that names the first field
 * at fault (all faults are listed in the message).
 */
export function parseRouteRequest(value: unknown): RealtimeRouteRequest {
  const result = realtimeRouteRequestSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => describeIssue(issue));
  throw new InvalidRequestError(`Invalid request: ${issues.map((issue) => issue.message).join('; ')}`, {
    field: issues[0]?.field ?? '(body)',
  });
}
