/**
 * The session a remote adapter opens: the bootstrap's, which the server made from the page's request
 * (policy applied, defaults filled), never the request itself. Every adapter opens with this and
 * reports it as `session:opened`, so the session the route minted is the session that runs.
 * @packageDocumentation
 */
import type { RealtimeSessionConfig } from '../../session/session-config.js';
import type { BootstrapPolicy, SessionOpened } from '../../session/session-policy.js';
import { policyIssues, sessionConfigIssues } from './bootstrap-check.js';

/**
 * Reads `session` and `policy` from a bootstrap. A bootstrap without a session (a custom server that
 * does not echo one) opens `requested`; a session or policy that does not parse is refused through
 * `fail` (the remote client already checked built-in bootstraps; custom schemas may let anything by).
 */
export function readSessionOpened(bootstrap: unknown, requested: RealtimeSessionConfig, fail: (message: string) => Error): SessionOpened {
  const b = typeof bootstrap === 'object' && bootstrap !== null ? (bootstrap as { session?: unknown; policy?: unknown }) : {};
  let session = requested;
  if (b.session !== undefined) {
    if (sessionConfigIssues(b.session).length > 0) throw fail('The bootstrap has a session that is not a valid session config.');
    session = b.session as RealtimeSessionConfig;
  }
  if (b.policy === undefined) return { session };
  if (policyIssues(b.policy).length > 0) throw fail('The bootstrap has a policy that does not parse.');
  return { session, policy: b.policy as BootstrapPolicy };
}
