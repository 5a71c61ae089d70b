// Fault suite: the connection drops at random points of a response, 20 times in one session, over real
// WebRTC and a real WebSocket to the emulator (behind the real route). Each drop is a per-session
// emulator fault (`dropAfterDeltas` / `dropAfterEvents` with a seeded random count), some in the middle
// of a tool call. After each: the manager recovers with the right events and settles (never a stuck
// state), or ends exhausted; no tool call is answered twice or on another connection; nothing uncaught.
import { expect } from '@open-wc/testing';
import { needsOf, requires } from '../../helpers/engine.js';
import type { RealtimeManager, RealtimeToolRegistration } from '../../../src/manager/index.js';
import { seededRandom } from '../../faults/mutations.js';
import {
  FAULT_ADAPTERS,
  QUIET,
  currentSession,
  isExhausted,
  isSettled,
  liveHarness,
  ownSessions,
  sessionLog,
  setServerFaults,
  setSessionFaults,
  summary,
  toolOutputs,
  untilState,
  watchUncaught,
  type LiveHarness,
} from '../../faults/live.js';
import { CONNECT_HOOK_TIMEOUT_MS } from '../../helpers/within.js';

const DROPS = 20;
const PER_TEST = 5;

/** Resolves with the first of `names` the manager emits next; fails after `timeoutMs`, naming them. */
function nextOf(manager: RealtimeManager, names: readonly string[], timeoutMs = 10_000): Promise<{ event: string; payload: any }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${names.join(' or ')}; state ${JSON.stringify(summary(manager.getState()))}`));
    }, timeoutMs);
    const off = manager.onAny((event, payload) => {
      if (!names.includes(event)) return;
      clearTimeout(timer);
      off();
      resolve({ event, payload });
    });
  });
}

/** A tool the emulator calls (`call probe {...}`); it answers at once or after a microtask or a task. */
function probeTool(random: () => number): RealtimeToolRegistration {
  return {
    definition: { type: 'function', name: 'probe', description: 'Fault suite probe.', parameters: { type: 'object', properties: { n: { type: 'number' } } } },
    handler: async (args: { n?: number }) => {
      const roll = random();
      if (roll < 0.3) await new Promise((resolve) => setTimeout(resolve, 0));
      else if (roll < 0.6) await Promise.resolve();
      return { ok: true, n: args.n ?? -1 };
    },
  };
}

for (const [index, adapter] of FAULT_ADAPTERS.entries()) {
  describe(`faults (${adapter}): ${DROPS} connection drops at random points of a response, in one session`, () => {
    requires(...needsOf(adapter));
    const random = seededRandom(0xd209 + index);
    const handlerRandom = seededRandom(0x7001 + index);
    const uncaught = watchUncaught();
    let h: LiveHarness;
    let drops = 0;
    let exhaustions = 0;
    const plan: string[] = [];

    before(async function () {
      this.timeout(CONNECT_HOOK_TIMEOUT_MS);
      h = await liveHarness(adapter, { tools: [probeTool(handlerRandom)] });
      await h.manager.startSession(QUIET);
    });

    after(async () => {
      uncaught.stop();
      await h?.dispose();
    });

    /** One drop: arm the fault on the live session, start a turn, and check the recovery. */
    async function dropOnce(): Promise<void> {
      const { manager } = h;
      await untilState(manager, isSettled, `settled before drop ${drops + 1}`);
      const sessionId = await currentSession(h);
      const toolTurn = drops % 3 === 2;
      const byDeltas = !toolTurn && random() < 0.5;
      // Always within the turn: a text reply sends 22 events (11 deltas); a tool turn sends 10 up to the
      // call's response.done (the call itself is events 4–8), then 20 more for the reply after the result.
      const n = toolTurn ? 4 + Math.floor(random() * 25) : 1 + Math.floor(random() * (byDeltas ? 8 : 21));
      const faults = byDeltas ? { dropAfterDeltas: n } : { dropAfterEvents: n };
      plan.push(`${toolTurn ? 'tool' : 'text'} ${JSON.stringify(faults)}`);
      const mark = h.events.length;
      await setSessionFaults(sessionId, faults);

      const lost = nextOf(manager, ['realtime:reconnect:attempt']);
      const outcome = lost.then(() => nextOf(manager, ['realtime:reconnect:success', 'realtime:reconnect:exhausted'], 12_000));
      // Both awaited below; marked handled so a failing sendMessage does not leave them unobserved.
      lost.catch(() => {});
      outcome.catch(() => {});
      const text = toolTurn ? `call probe {"n": ${drops}}` : `drop ${drops}: tell me about the lighthouse keeper and the long night`;
      await manager.sendMessage(text);
      const attempt = (await lost).payload;
      drops += 1;
      expect(attempt.attempt, 'the first attempt is number 1').to.equal(1);
      // How the loss showed: the WebSocket closed, or the data channel / peer connection went down.
      expect(adapter === 'openai-websocket' ? ['socket-closed'] : ['data-channel-closed', 'peer-closed', 'ice-failed', 'ice-disconnected']).to.include(attempt.cause);
      const { event } = await outcome;

      const since = h.events.slice(mark);
      const named = (name: string) => since.filter((e) => e.event === name).map((e) => e.payload);
      const attempts = named('realtime:reconnect:attempt').map((a) => a.attempt);
      expect(attempts, 'attempts numbered 1, 2, …').to.deep.equal(attempts.map((_, i) => i + 1));

      if (event === 'realtime:reconnect:success') {
        const state = await untilState(manager, isSettled, `settled after drop ${drops} (${plan.at(-1)})`);
        expect(named('realtime:reconnect:success').map((s) => s.attempt)).to.deep.equal([attempts.at(-1)]);
        expect(named('realtime:session:end'), 'the session did not end').to.deep.equal([]);
        expect(state.session.id, 'same session across the reconnect').to.equal(h.named('realtime:session:start').at(-1).sessionId);
      } else {
        exhaustions += 1;
        await untilState(manager, isExhausted, `exhausted after drop ${drops}`);
        expect(named('realtime:session:end').map((e) => e.reason)).to.deep.equal(['reconnect_exhausted']);
        await manager.startSession(QUIET);
      }
      // Every response that started was closed exactly once; every tool call ended exactly once.
      for (const { responseId } of named('realtime:assistant:start')) {
        const done = named('realtime:assistant:done').filter((d) => d.responseId === responseId);
        expect(done.map((d) => d.status), `response ${responseId} closed once`).to.have.length(1);
        expect(['completed', 'interrupted', 'cancelled']).to.include(done[0].status);
      }
      for (const { callId } of named('realtime:tool:call')) {
        const ends = [...named('realtime:tool:result'), ...named('realtime:tool:error')].filter((r) => r.callId === callId);
        expect(ends, `tool call ${callId} ended once`).to.have.length(1);
      }
      expect(uncaught.seen, 'nothing uncaught').to.deep.equal([]);
    }

    for (let from = 1; from <= DROPS; from += PER_TEST) {
      it(`drops ${from}–${from + PER_TEST - 1}: each recovers (reconnect events, same session) and settles`, async () => {
        for (let i = 0; i < PER_TEST; i += 1) await dropOnce();
        expect(drops).to.equal(from + PER_TEST - 1);
      });
    }

    it('after the drops, a turn without faults completes normally', async () => {
      await untilState(h.manager, isSettled, 'settled');
      const done = nextOf(h.manager, ['realtime:assistant:done']);
      await h.manager.sendMessage('are you still there');
      const { payload } = await done;
      expect(payload).to.include({ status: 'completed', text: 'You said "are you still there". This is the emulator speaking.' });
      expect(exhaustions, `recovered every time (${plan.join('; ')})`).to.equal(0);
    });

    it('each tool call got at most one function_call_output, on the connection that made it; no schema violation', async () => {
      const sessions = await ownSessions(h);
      expect(sessions.length, 'a new connection per drop').to.be.at.least(DROPS + 1);
      const ids = sessions.map((s) => s.id);
      const outputs = await toolOutputs(ids);
      const madeIn = new Map<string, string>();
      let violations = 0;
      for (const id of ids) {
        const log = await sessionLog(id);
        violations += log.violations.length;
        for (const record of log.events) {
          const item = record.direction === 'server' && record.type === 'response.output_item.done' ? record.event.item : undefined;
          if (item?.type === 'function_call') madeIn.set(item.call_id, id);
        }
      }
      expect(madeIn.size, 'the emulator completed tool calls before some drops').to.be.at.least(3);
      for (const [callId, list] of outputs) {
        expect(list, `outputs for ${callId}`).to.have.length(1);
        expect(list[0]!.sessionId, `${callId} answered where it was made`).to.equal(madeIn.get(callId));
        expect(JSON.parse(list[0]!.output)).to.include({ ok: true });
      }
      expect(violations, 'schema violations in these sessions').to.equal(0);
      expect(uncaught.seen).to.deep.equal([]);
    });

    it('drops during the reconnect itself: failed attempts are followed by the next, numbered, until one recovers', async () => {
      const { manager } = h;
      await untilState(manager, isSettled, 'settled');
      const mark = h.events.length;
      // Server-wide: the live session drops after one more event, and every new one right after
      // session.created, so the reconnect attempts fail until the fault is cleared (at attempt 2).
      const cleared = new Promise<void>((resolve, reject) => {
        const off = manager.on('realtime:reconnect:attempt', ({ attempt }) => {
          if (attempt < 2) return;
          off();
          setServerFaults({}).then(() => resolve(), reject);
        });
      });
      const outcome = nextOf(manager, ['realtime:reconnect:success', 'realtime:reconnect:exhausted'], 15_000);
      await setServerFaults({ dropAfterEvents: 1 });
      await manager.sendMessage('a story to be cut short');
      await cleared;
      const { event, payload } = await outcome;
      const attempts = h.events.slice(mark).filter((e) => e.event === 'realtime:reconnect:attempt').map((e) => e.payload);
      expect(attempts.map((a) => a.attempt)).to.deep.equal(attempts.map((_, i) => i + 1));
      expect(attempts.slice(1).every((a) => a.cause === 'connect-failed'), 'later attempts follow failed connects').to.equal(true);
      if (event === 'realtime:reconnect:success') {
        expect(payload.attempt, 'the last attempt recovered').to.equal(attempts.length);
        expect(payload.attempt, 'at least one attempt failed first').to.be.at.least(2);
        await untilState(manager, isSettled, 'settled after the recovery');
        const done = nextOf(manager, ['realtime:assistant:done']);
        await manager.sendMessage('and after that');
        expect((await done).payload).to.include({ status: 'completed' });
      } else {
        // Clearing raced the last attempt: ending exhausted is the other allowed outcome.
        await untilState(manager, isExhausted, 'exhausted');
        await manager.startSession(QUIET);
      }
      expect(uncaught.seen).to.deep.equal([]);
    });

    it('a drop while the emulator stays down ends the session exhausted: stopped, nothing stuck', async () => {
      const { manager } = h;
      await untilState(manager, isSettled, 'settled');
      const sessionId = await currentSession(h);
      const mark = h.events.length;
      await setServerFaults({ down: true });
      try {
        const exhausted = nextOf(manager, ['realtime:reconnect:exhausted'], 12_000);
        await setSessionFaults(sessionId, { dropAfterDeltas: 2 });
        await manager.sendMessage('one more story please, a long one about the sea');
        await exhausted;
        const state = await untilState(manager, isExhausted, 'exhausted');
        expect(summary(state)).to.deep.include({ connection: 'error', session: 'stopped', reconnecting: false, awaitingResponse: false });
        expect(state.response.status).to.not.equal('responding');
        const since = h.events.slice(mark);
        expect(since.filter((e) => e.event === 'realtime:session:end').map((e) => e.payload.reason)).to.deep.equal(['reconnect_exhausted']);
        expect(since.filter((e) => e.event === 'realtime:reconnect:attempt')).to.have.length(3);
      } finally {
        await setServerFaults({});
      }
      expect(uncaught.seen).to.deep.equal([]);
    });
  });
}
