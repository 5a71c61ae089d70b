// Fault suite: tool handlers that throw, reject, hang past their timeout, or return undefined, cyclic
// or non-JSON values, called by the emulator (`call <name> {}`) over a real transport. Every time: one
// `realtime:tool:error` with the right code, a `function_call_output` with `success: false` in the
// emulator's log, the model's follow-up reply, and the next turn works. Nothing uncaught.
import { expect } from '@open-wc/testing';
import { needsOf, requires } from '../../helpers/engine.js';
import type { RealtimeToolRegistration, ToolErrorCode } from '../../../src/manager/index.js';
import {
  FAULT_ADAPTERS,
  QUIET,
  currentSession,
  isSettled,
  liveHarness,
  sessionLog,
  untilState,
  waitFor,
  watchUncaught,
  type LiveHarness,
} from '../../faults/live.js';
import { CONNECT_HOOK_TIMEOUT_MS } from '../../helpers/within.js';

interface BadTool {
  name: string;
  code: ToolErrorCode;
  /** What the error message must say. */
  message: RegExp;
  handler: RealtimeToolRegistration['handler'];
  timeoutMs?: number;
}

const cyclic = (): Record<string, unknown> => {
  const value: Record<string, unknown> = { ok: true };
  value.self = value;
  return value;
};

const BAD_TOOLS: BadTool[] = [
  {
    name: 'throws',
    code: 'handler_error',
    message: /sync boom/,
    handler: () => {
      throw new Error('sync boom');
    },
  },
  {
    name: 'throws_hostile',
    code: 'handler_error',
    message: /failed/,
    // Neither an Error nor printable: String() of a null-prototype object throws.
    handler: () => {
      throw Object.create(null);
    },
  },
  { name: 'rejects', code: 'handler_error', message: /async boom/, handler: async () => Promise.reject(new Error('async boom')) },
  { name: 'rejects_string', code: 'handler_error', message: /plain reason/, handler: () => Promise.reject('plain reason') },
  {
    name: 'rejects_hostile',
    code: 'handler_error',
    message: /failed/,
    handler: () =>
      Promise.reject({
        toString() {
          throw new Error('toString throws too');
        },
      }),
  },
  { name: 'hangs', code: 'timeout', message: /timed out after 150 ms/, timeoutMs: 150, handler: () => new Promise(() => {}) },
  {
    name: 'hangs_ignoring_abort',
    code: 'timeout',
    message: /timed out/,
    timeoutMs: 100,
    handler: (_args, { signal }) => new Promise((resolve) => signal.addEventListener('abort', () => setTimeout(() => resolve({ late: true }), 50))),
  },
  { name: 'returns_undefined', code: 'invalid_result', message: /plain JSON object, got undefined/, handler: () => undefined as never },
  { name: 'returns_cyclic', code: 'invalid_result', message: /cyclic/, handler: cyclic },
  { name: 'returns_bigint', code: 'invalid_result', message: /bigint/, handler: () => ({ count: 10n }) },
  { name: 'returns_function', code: 'invalid_result', message: /function/, handler: () => ({ callback: () => 1 }) },
  { name: 'returns_nan', code: 'invalid_result', message: /non-finite/, handler: () => ({ value: Number.NaN }) },
  { name: 'returns_map', code: 'invalid_result', message: /non-plain object/, handler: () => ({ data: new Map([[1, 2]]) }) },
  { name: 'returns_string', code: 'invalid_result', message: /plain JSON object, got string/, handler: () => 'done' as never },
  {
    name: 'returns_hostile_thenable',
    code: 'handler_error',
    message: /then getter/,
    handler: () =>
      ({
        get then() {
          throw new Error('then getter');
        },
      }) as never,
  },
  {
    name: 'returns_throwing_getter',
    code: 'invalid_result',
    message: /reading the property threw/,
    handler: () =>
      ({
        get secret() {
          throw new Error('getter');
        },
      }) as never,
  },
];

const registrations: RealtimeToolRegistration[] = BAD_TOOLS.map((tool) => ({
  definition: { type: 'function', name: tool.name, description: `Fault suite: ${tool.name}.`, parameters: { type: 'object', properties: {} } },
  handler: tool.handler,
  ...(tool.timeoutMs !== undefined ? { timeoutMs: tool.timeoutMs } : {}),
}));

/**
 * Every failure over the default transport (WebRTC); one of each kind over the WebSocket (the tool path
 * is the manager's, the transport only carries the result; each call costs a follow-up reply).
 */
const TOOLS_FOR: Record<(typeof FAULT_ADAPTERS)[number], BadTool[]> = {
  'openai-agents-webrtc': BAD_TOOLS,
  'openai-websocket': BAD_TOOLS.filter((t) => ['throws_hostile', 'rejects', 'hangs', 'returns_undefined', 'returns_cyclic', 'returns_bigint'].includes(t.name)),
};

for (const adapter of FAULT_ADAPTERS) {
  const bad = TOOLS_FOR[adapter];
  describe(`faults (${adapter}): tool handlers that fail in every way`, () => {
    requires(...needsOf(adapter));
    const uncaught = watchUncaught();
    let h: LiveHarness;

    before(async function () {
      this.timeout(CONNECT_HOOK_TIMEOUT_MS);
      h = await liveHarness(adapter, { tools: registrations });
      await h.manager.startSession(QUIET);
    });

    after(async () => {
      uncaught.stop();
      await h?.dispose();
    });

    const halves = bad.length > 8 ? [bad.slice(0, 8), bad.slice(8)] : [bad];
    for (const tools of halves) {
      it(`${tools.map((t) => t.name).join(', ')}: a failure result each time, the session continues`, async () => {
        const { manager } = h;
        for (const tool of tools) {
          await untilState(manager, isSettled, `settled before ${tool.name}`);
          const failed = waitFor(manager, 'realtime:tool:error', (e) => e.name === tool.name, 5000);
          // The emulator reads the result back in its follow-up reply.
          const followUp = waitFor(manager, 'realtime:assistant:done', (d) => d.text.includes('success'), 5000);
          // Awaited below; marked handled so a failure of the first wait does not leave the second unobserved.
          followUp.catch(() => {});
          await manager.sendMessage(`call ${tool.name} {}`);
          const error = await failed;
          expect(error.code, tool.name).to.equal(tool.code);
          expect(error.error, tool.name).to.match(tool.message);
          const reply = await followUp;
          expect(reply.status, `${tool.name}: follow-up reply`).to.equal('completed');
          expect(h.named('realtime:tool:result').filter((r) => r.name === tool.name), `${tool.name}: no success result`).to.deep.equal([]);

          const log = await sessionLog(await currentSession(h));
          const outputs = log.events
            .filter((e) => e.direction === 'client' && e.type === 'conversation.item.create' && e.event.item?.type === 'function_call_output')
            .filter((e) => e.event.item.call_id === error.callId)
            .map((e) => JSON.parse(e.event.item.output));
          expect(outputs, `${tool.name}: one output in the emulator log`).to.have.length(1);
          expect(outputs[0]).to.deep.equal({ success: false, error: error.error });
        }
        expect(uncaught.seen, 'uncaught errors and rejections').to.deep.equal([]);
      });
    }

    it('the next turn works, on the same connection, with no reconnect', async () => {
      const { manager } = h;
      await untilState(manager, isSettled, 'settled');
      const done = waitFor(manager, 'realtime:assistant:done', (d) => d.text.includes('tools are done'), 5000);
      await manager.sendMessage('tools are done');
      expect((await done).status).to.equal('completed');
      expect(h.named('realtime:tool:error')).to.have.length(bad.length);
      expect(h.named('realtime:reconnect:attempt')).to.deep.equal([]);
      expect(h.named('realtime:error'), 'no session error').to.deep.equal([]);
      expect(uncaught.seen).to.deep.equal([]);
    });
  });
}
