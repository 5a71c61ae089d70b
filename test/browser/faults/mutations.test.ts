// Fault suite: 1,000 malformed, unknown and mutated server events (seeded mutations of the examples in
// OpenAI's schema, see test/faults/mutations.ts) sent raw to a live client through the emulator's
// inject endpoint, over real WebRTC and a real WebSocket. No uncaught exception; the connection stays
// up; the session still answers the next turn.
import { expect } from '@open-wc/testing';
import { needsOf, requires } from '../../helpers/engine.js';
import { mutateServerEvents, type SchemaWithExamples } from '../../faults/mutations.js';
import {
  FAULT_ADAPTERS,
  QUIET,
  currentSession,
  inject,
  liveHarness,
  summary,
  untilState,
  waitFor,
  watchUncaught,
  type LiveHarness,
} from '../../faults/live.js';
import { CONNECT_HOOK_TIMEOUT_MS } from '../../helpers/within.js';

const COUNT = 1000;
/** The last frame: a well-formed error event whose arrival proves every frame before it was handled. */
const SENTINEL = 'fault-suite sentinel: every injected frame before this one was handled';

let frames: string[];

before(async () => {
  const response = await fetch('/schema/openai-realtime.schema.json');
  expect(response.ok, 'the test server serves the schema').to.equal(true);
  frames = mutateServerEvents((await response.json()) as SchemaWithExamples, { count: COUNT }).map((f) => f.frame);
});

for (const adapter of FAULT_ADAPTERS) {
  describe(`faults (${adapter}): ${COUNT} malformed, unknown and mutated server events`, () => {
    requires(...needsOf(adapter));
    const uncaught = watchUncaught();
    let h: LiveHarness;
    let sessionId: string;

    before(async function () {
      this.timeout(CONNECT_HOOK_TIMEOUT_MS);
      h = await liveHarness(adapter);
      await h.manager.startSession(QUIET);
      sessionId = await currentSession(h);
    });

    after(async () => {
      uncaught.stop();
      await h?.dispose();
    });

    it('are all delivered and handled: no uncaught exception, the connection stays up', async function () {
      // What this checks is that every frame is handled, not how fast: 1.2 s on an idle machine, over
      // 15 s with three engines' runners and a benchmark on two cores (load average 32).
      this.timeout(70_000);
      const handled = waitFor(h.manager, 'realtime:error', ({ error }) => error.message.includes(SENTINEL), 60_000);
      const sentinel = JSON.stringify({ type: 'error', event_id: 'event_sentinel', error: { type: 'server_error', code: 'sentinel', message: SENTINEL, param: null, event_id: null } });
      expect(await inject(sessionId, [...frames, sentinel])).to.equal(COUNT + 1);
      await handled;
      expect(uncaught.seen, 'uncaught errors and rejections').to.deep.equal([]);
      const state = h.manager.getState();
      expect(summary(state)).to.deep.include({ connection: 'connected', session: 'active', reconnecting: false });
      expect(h.named('realtime:reconnect:attempt'), 'no reconnect was needed').to.deep.equal([]);
      expect(await currentSession(h)).to.equal(sessionId);
      // The garbage was noticed, not silently swallowed: error events among it surfaced as realtime:error.
      expect(h.named('realtime:error').length).to.be.greaterThan(1);
    });

    it('the session still answers the next turn', async () => {
      const { manager } = h;
      // Mutated deltas and tool calls may name responses the provider never finishes (so never ends);
      // the page's way out is the same as for any reply it no longer wants: interrupt().
      const state = manager.getState();
      if (state.response.status === 'responding' || state.awaitingResponse || state.pendingToolCalls > 0) await manager.interrupt();
      await untilState(manager, (s) => s.response.status !== 'responding' && !s.awaitingResponse && s.pendingToolCalls === 0, 'nothing outstanding');
      const done = waitFor(manager, 'realtime:assistant:done', ({ text }) => text.includes('after the noise'), 10_000);
      await manager.sendMessage('after the noise');
      const reply = await done;
      expect(reply).to.include({ status: 'completed', text: 'You said "after the noise". This is the emulator speaking.' });
      expect(uncaught.seen).to.deep.equal([]);
      expect(summary(manager.getState())).to.deep.include({ connection: 'connected', session: 'active', response: 'completed' });
    });
  });
}
