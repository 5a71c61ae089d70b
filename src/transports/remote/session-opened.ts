/**
 * The session a remote adapter opens: the bootstrap's, which the server made from the page's request
 * (policy applied, defaults filled), never the request itself. Every adapter opens with this and
 * reports it as `session:opened`, so the session the route minted is the session that runs.
 * @packageDocumentation
 */
import { realtimeSessionConfigSchema, type RealtimeSessionConfig } from '../../session/session-config.js';
import { bootstrapPolicySchema, type SessionOpened } from '../../session/session-policy.js';

/**
 * Reads `session` and `policy` from a bootstrap. A bootstrap without a session (a custom server that
 * does not echo one) opens `requested`; a session or policy that does not parse is refused through
 * `fail` (the remote client already checked built-in bootstraps; custom schemas may let anything by).
 */
export function readSessionOpened(bootstrap: unknown, requested: RealtimeSessionConfig, fail: (message: string) => Error): SessionOpened {
  const b = typeof bootstrap === 'object' && bootstrap !== null ? (bootstrap as { session?: unknown; policy?: unknown }) : {};
  let session = requested;
  if (b.session !== undefined) {
    const parsed = realtimeSessionConfigSchema.safeParse(b.session);
    if (!parsed.success) throw fail('The bootstrap has a session that is not a valid session config.');
    session = parsed.data;
  }
  if (b.policy === undefined) return { session };
  const policy = bootstrapPolicySchema.safeParse(b.policy);
  if (!policy.success) throw fail('The bootstrap has a policy that does not parse.');
  return { session, policy: policy.data };
}
