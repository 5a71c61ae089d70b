// A FakeRealtimeTransport `opened` hook that plays the realtime route: the real applyPolicy and
// describePolicyForBrowser make the session and the policy a connect reports as `session:opened`.
import { applyPolicy, resolvePolicy, type RealtimeRoutePolicy } from '../../src/server/policy.js';
import { describePolicyForBrowser } from '../../src/server/policy-view.js';
import type { SessionOpened } from '../../src/session/session-policy.js';
import type { TransportConnectRequest } from '../../src/transports/types.js';

/** The provider's model and voice when the session names none. */
export const PROVIDER_DEFAULTS = { model: 'gpt-realtime', voice: 'marin' };

/** What the route and provider make of a requested session: the policy applied, model and voice filled. */
export function routeLike(policy: RealtimeRoutePolicy): (request: TransportConnectRequest) => SessionOpened & { policy: NonNullable<SessionOpened['policy']> } {
  const resolved = resolvePolicy(policy);
  const view = describePolicyForBrowser(resolved);
  return (request) => {
    const session = applyPolicy(request.session, resolved, PROVIDER_DEFAULTS);
    return {
      session: { ...session, model: session.model ?? PROVIDER_DEFAULTS.model, voice: session.voice ?? PROVIDER_DEFAULTS.voice },
      policy: view,
    };
  };
}
