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

/** Schema for the route's request body: `{ adapter, transport?, session?, sdp? }`. */
export const realtimeRouteRequestSchema = z
  .strictObject({
    adapter: z.enum(REALTIME_ADAPTERS, { error: `must be one of ${REALTIME_ADAPTERS.join(', ')}` }),
    transport: z.enum(['webrtc', 'websocket'], { error: 'must be "webrtc" or "websocket"' }).optional(),
    session: z.optional(realtimeSessionConfigSchema),
    sdp: z
      .string()
      .regex(/^v=0\r?\n/, { error: 'must be an SDP offer (starting with "v=0")' })
      .optional(),
  })
  .superRefine((body, ctx) => {
    const expected = ADAPTER_TRANSPORT[body.adapter];
    if (body.transport !== undefined && body.transport !== expected) {
      ctx.addIssue({ code: 'custom', path: ['transport'], message: `adapter ${body.adapter} uses "${expected}", not "${body.transport}"` });
    }
    if (body.adapter === 'openai-webrtc' && body.sdp === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sdp'], message: 'is required with adapter openai-webrtc (the browser SDP offer)' });
    }
    if (body.adapter !== 'openai-webrtc' && body.sdp !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['sdp'], message: `is only accepted with adapter openai-webrtc, not ${body.adapter}` });
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
