// The browser client against the real route's refusals (test/wtr-realtime-server.mjs, ACCESS_ROUTE: an
// `authorize` hook reading a session cookie and a one-mint-per-window rate limit per user): each
// refusal reaches the page as its own code on the one transport vocabulary, a 429 carries its
// `Retry-After`, the `credentials` option decides whether the cookie goes, and the manager's reconnect
// waits out a 429's Retry-After instead of spending its attempts inside the window.
import { expect } from '@open-wc/testing';
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { accessRoute } from '/__charivo/policy-routes.js';
import { fixture, html } from '@open-wc/testing';
import '../../../src/elements/realtime/define.js';
import type { CharivoRealtime } from '../../../src/elements/realtime/define.js';
import { createRealtimeManager, type RealtimeManager } from '../../../src/manager/index.js';
import { AudioContextOwner } from '../../../src/transports/audio/audio-context-owner.js';
import { createRemoteRealtimeClient, RemoteRealtimeError, type RemoteRealtimeClientOptions } from '../../../src/transports/remote/index.js';
import { EMULATOR_URL, alwaysOnline, waitFor } from '../webrtc/helpers.js';

const ROUTE = accessRoute as { path: string; cookie: string; points: number; windowSeconds: number };

let userCounter = 0;
/** Signs a fresh user in (the route's cookie): each test has its own rate-limit budget. */
function signIn(prefix = 'user'): string {
  const user = `${prefix}-${Date.now().toString(36)}-${++userCounter}`;
  document.cookie = `${ROUTE.cookie}=${user}; path=/; SameSite=Strict`;
  return user;
}

function signOut(): void {
  document.cookie = `${ROUTE.cookie}=; path=/; max-age=0`;
}

/** A remote client on the access route with the WebSocket adapter (a mint is a client secret, no call). */
function client(options: Partial<RemoteRealtimeClientOptions> = {}) {
  return createRemoteRealtimeClient({ endpoint: ROUTE.path, adapter: 'openai-websocket', audio: new AudioContextOwner(), ...options });
}

const request = { session: { turnDetection: null, outputModalities: ['text' as const] }, reason: 'start' as const, history: [], sessionId: 'access' };

/** Connects and returns what it threw (or `undefined` when it connected, then disconnects). */
async function refusal(options: Partial<RemoteRealtimeClientOptions> = {}, session: Record<string, unknown> = request.session): Promise<RemoteRealtimeError | undefined> {
  const remote = client(options);
  try {
    await remote.connect({ ...request, session }, new AbortController().signal);
    return undefined;
  } catch (error) {
    return error as RemoteRealtimeError;
  } finally {
    await remote.disconnect();
  }
}

/**
 * Spends the signed-in user's one mint of this window and nothing more: the connect is abandoned as soon
 * as the route has answered, so no WebSocket connect sits between this mint and what the test does next.
 * Returns the route's status.
 */
async function spendMint(): Promise<number> {
  const controller = new AbortController();
  let status = 0;
  const remote = client({
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      status = response.status;
      controller.abort();
      return response;
    },
  });
  await remote.connect(request, controller.signal).catch(() => {});
  await remote.disconnect();
  return status;
}

describe('the browser client and the route’s refusals (authorize, rate limit, limits)', function () {
  this.timeout(20_000);
  afterEach(signOut);

  it('nobody signed in: 401 → unauthorized', async () => {
    signOut();
    const error = await refusal();
    expect(error).to.be.instanceOf(RemoteRealtimeError);
    expect(error!.code).to.equal('unauthorized');
    expect(error!.status).to.equal(401);
    expect(error!.routeCode).to.equal('unauthorized');
  });

  it('signed in but not allowed: 403 → forbidden, with the route’s message', async () => {
    signIn('banned');
    const error = await refusal();
    expect(error!.code).to.equal('forbidden');
    expect(error!.status).to.equal(403);
    expect(error!.message).to.contain('This user may not start voice sessions.');
  });

  it('credentials: the cookie goes by default (same origin), not with omit', async () => {
    signIn();
    expect((await refusal({ credentials: 'omit' }))?.code, 'omit: no cookie, so nobody').to.equal('unauthorized');
    expect(await refusal(), 'same-origin: the cookie goes, a session is minted').to.equal(undefined);
  });

  it('past the budget: 429 → rate_limited with the Retry-After seconds', async () => {
    signIn();
    // Both at once: one after the other, a first connect slower than the window (WebKit in a loaded
    // full run) let the second mint into a new window.
    const outcomes = await Promise.all([refusal(), refusal()]);
    expect(outcomes.filter((e) => e === undefined), 'one mint per window').to.have.length(1);
    const error = outcomes.find((e) => e !== undefined);
    expect(error!.code).to.equal('rate_limited');
    expect(error!.status).to.equal(429);
    expect(error!.retryAfterSeconds).to.be.within(1, ROUTE.windowSeconds);
    expect(error!.message).to.contain(`retry in ${error!.retryAfterSeconds} s`);
  });

  it('a body over the route’s limit: 413 → payload_too_large', async () => {
    signIn();
    const error = await refusal({}, { ...request.session, instructions: 'x'.repeat(70 * 1024) });
    expect(error!.code).to.equal('payload_too_large');
    expect(error!.status).to.equal(413);
  });

  describe('<charivo-realtime credentials> and the refusal’s reason', () => {
    async function start(attributes: { credentials?: string }): Promise<{ el: CharivoRealtime; errors: any[] }> {
      const el = (await fixture(html`<charivo-realtime endpoint=${ROUTE.path} adapter="openai-websocket" credentials=${attributes.credentials ?? 'same-origin'}></charivo-realtime>`)) as CharivoRealtime;
      el.sessionConfig = { turnDetection: null, outputModalities: ['text'] };
      const errors: any[] = [];
      el.addEventListener('charivo-error', (event) => errors.push((event as CustomEvent).detail));
      await el.start().catch(() => {});
      return { el, errors };
    }

    it('credentials="omit" sends no cookie: charivo-error says start_failed, reason unauthorized', async () => {
      signIn();
      const { el, errors } = await start({ credentials: 'omit' });
      expect(errors.map((e) => [e.code, e.reason, e.source])).to.deep.equal([['start_failed', 'unauthorized', 'session']]);
      expect(el.getAttribute('state')).to.not.equal('active');
    });

    it('by default the cookie goes and the session starts; past the budget the reason is rate_limited with its wait', async () => {
      signIn();
      // Two elements start at once (one after the other, a slow first start could outlast the window).
      const both = await Promise.all([start({}), start({})]);
      const started = both.filter((s) => s.errors.length === 0);
      const refused = both.filter((s) => s.errors.length > 0);
      expect(started, 'one start per window').to.have.length(1);
      expect(started[0]!.el.getAttribute('state')).to.equal('active');
      await started[0]!.el.stop();
      expect(refused[0]!.errors.map((e) => [e.code, e.reason])).to.deep.equal([['start_failed', 'rate_limited']]);
      expect(refused[0]!.errors[0].retryAfterSeconds).to.be.within(1, ROUTE.windowSeconds);
    });
  });

  describe('the manager’s reconnect after a 429', () => {
    let manager: RealtimeManager | undefined;
    afterEach(async () => {
      await manager?.dispose();
      manager = undefined;
    });

    it('waits at least the Retry-After before its next attempt, and reconnects without spending its attempts', async function () {
      this.timeout(ROUTE.windowSeconds * 1000 + 20_000);
      signIn();
      manager = createRealtimeManager(client(), { network: alwaysOnline, reconnect: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100, jitter: 0 } });
      const codes: string[] = [];
      const attempts: Array<{ attempt: number; delayMs: number }> = [];
      manager.on('realtime:state', ({ state }) => {
        if (state.lastError && codes.at(-1) !== state.lastError.code) codes.push(state.lastError.code);
      });
      manager.on('realtime:reconnect:attempt', ({ attempt, delayMs }) => attempts.push({ attempt, delayMs }));
      await manager.startSession(request.session);
      // Test files run one at a time: the newest WebSocket session is the manager's.
      const { sessions } = await (await fetch(`${EMULATOR_URL}/_emulator/sessions`)).json();
      const ours = sessions.filter((s: any) => s.transport === 'websocket').sort((a: any, b: any) => b.createdAt - a.createdAt)[0];

      // Another user signs in and spends this window's one mint now: the reconnect, right after, meets the 429.
      signIn();
      // (Only the mint: a whole connect before the drop could outlast the window under load.)
      expect(await spendMint(), 'the new user’s one mint of this window').to.equal(200);
      const success = waitFor(manager, 'realtime:reconnect:success', () => true, ROUTE.windowSeconds * 1000 + 8000);
      await fetch(`${EMULATOR_URL}/_emulator/sessions/${encodeURIComponent(ours.id)}/close`, { method: 'POST' });

      expect(await success).to.deep.include({ attempt: 2 });
      expect(codes, 'the first attempt was rate limited').to.include('rate_limited');
      expect(attempts[0]).to.deep.equal({ attempt: 1, delayMs: 50 });
      // The route said 1–windowSeconds s; the manager waited that, not its 100 ms backoff.
      expect(attempts[1]!.delayMs, 'the second attempt waited the Retry-After').to.be.within(1000, ROUTE.windowSeconds * 1000);
      expect(manager.getState().connection).to.equal('connected');
    });
  });
});
