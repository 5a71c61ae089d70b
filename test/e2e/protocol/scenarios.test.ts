// One scenario table, run against every adapter over the real wire (WebRTC through the emulator's
// @roamhq/wrtc peer, WebSocket through its socket), each through the real route. The protocol machine
// is shared, so each scenario must end the same way on every adapter, and nothing either side sends
// may violate OpenAI's schema. Disorder comes from the emulator: stalled acknowledgements, and events
// injected into the session as the provider would send them.
import { expect } from '@open-wc/testing';
import type { RealtimeSessionConfig } from '../../../src/session/session-config.js';
import { ADAPTERS, emulatorControl, errorCodes, openWire, track, type Wire, type WireOptions } from './wire.js';
import { need, needsOf } from '../../helpers/engine.js';

/** No VAD (the fake microphone must not start turns) and text replies (fast, no audio timing). */
const BASE: RealtimeSessionConfig = { instructions: 'Scenario assistant.', turnDetection: null, outputModalities: ['text'] };

const LOOKUP: RealtimeSessionConfig = {
  ...BASE,
  tools: [
    {
      type: 'function',
      name: 'lookup',
      description: 'Looks something up.',
      parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
    },
  ],
};

const reply = (text: string) => `You said "${text}". This is the emulator speaking.`;

interface Scenario {
  name: string;
  session: RealtimeSessionConfig;
  options?: WireOptions;
  /** Drives the wire and returns what happened, in terms that must not depend on the adapter. */
  run(wire: Wire): Promise<Record<string, unknown>>;
  expected: Record<string, unknown>;
}

/**
 * An injected `session.updated` as the provider would answer an update that set `instructions`: the
 * session the emulator holds now, with them (an answer reports the session the update made).
 */
async function answers(wire: Wire): Promise<(instructions: string) => Record<string, unknown>> {
  const { session } = await wire.log();
  return (instructions) => ({ type: 'session.updated', session: { ...session, instructions } });
}

function refusal(eventId: string): Record<string, unknown> {
  return {
    type: 'error',
    error: { type: 'invalid_request_error', code: 'invalid_value', message: 'The scenario refuses this update.', param: 'session.instructions', event_id: eventId },
  };
}

const stallAcks = (wire: Wire) => emulatorControl('/faults', { sessionId: wire.sessionId, faults: { stallSessionUpdated: true } });
const clearFaults = (wire: Wire) => emulatorControl('/faults', { sessionId: wire.sessionId, faults: {} });

/** Texts of the assistant:done events at index ≥ from. */
const doneTexts = (wire: Wire, from = 0) =>
  wire.events.slice(from).filter((e) => e.name === 'assistant:done').map((e) => ({ text: e.payload.text as string, status: e.payload.status as string }));

const SCENARIOS: Scenario[] = [
  {
    name: 'overlapping session updates are acknowledged one by one, in order',
    session: BASE,
    async run(wire) {
      await stallAcks(wire);
      const ack = await answers(wire);
      const before = (await wire.sentOf('session.update', 1)).length;
      const a = track(wire.transport.updateSession({ ...BASE, instructions: 'A' }));
      const b = track(wire.transport.updateSession({ ...BASE, instructions: 'B' }));
      await wire.sentOf('session.update', before + 2);
      await wire.barrier(ack('A'));
      const afterFirstAck = { a: a.state, b: b.state };
      await wire.barrier(ack('B'));
      await Promise.all([a.settled, b.settled]);
      await clearFaults(wire);
      const c = track(wire.transport.updateSession({ ...BASE, instructions: 'C' }));
      await c.settled;
      return { afterFirstAck, a: a.state, b: b.state, c: c.state, instructions: (await wire.log()).session.instructions, errors: errorCodes(wire.events) };
    },
    expected: {
      afterFirstAck: { a: 'resolved', b: 'pending' },
      a: 'resolved',
      b: 'resolved',
      c: 'resolved',
      instructions: 'C',
      errors: [],
    },
  },
  {
    name: 'a refused update rejects alone: the update sent after it still waits for its own ack',
    session: BASE,
    async run(wire) {
      await stallAcks(wire);
      const ack = await answers(wire);
      const before = (await wire.sentOf('session.update', 1)).length;
      const a = track(wire.transport.updateSession({ ...BASE, instructions: 'A' }));
      const b = track(wire.transport.updateSession({ ...BASE, instructions: 'B' }));
      const updates = await wire.sentOf('session.update', before + 2);
      // The provider answers in order: A's ack, then an error naming B.
      await wire.barrier(ack('A'));
      const afterAck = { a: a.state, b: b.state };
      await wire.barrier(refusal(updates[before + 1]!.event_id));
      await Promise.all([a.settled, b.settled]);
      await clearFaults(wire);
      const c = track(wire.transport.updateSession({ ...BASE, instructions: 'C' }));
      await c.settled;
      return { afterAck, a: a.state, b: b.state, c: c.state, errors: errorCodes(wire.events) };
    },
    expected: {
      afterAck: { a: 'resolved', b: 'pending' },
      a: 'resolved',
      b: 'session_update_rejected',
      c: 'resolved',
      // The refusal answers its request; it is not also reported as a stray error.
      errors: [],
    },
  },
  {
    name: 'an update that timed out keeps its place: its late ack does not confirm the next update',
    session: BASE,
    // Long enough that B is answered in time even on a loaded machine (two injections, no more),
    // short enough that A's timeout is not a long wait; A must time out well before 6 s.
    options: { sessionUpdateTimeoutMs: 2500 },
    async run(wire) {
      await stallAcks(wire);
      const ack = await answers(wire);
      const a = track(wire.transport.updateSession({ ...BASE, instructions: 'A' }));
      await Promise.race([a.settled, new Promise((resolve) => setTimeout(resolve, 6000))]);
      const b = track(wire.transport.updateSession({ ...BASE, instructions: 'B' }));
      await wire.barrier(ack('A')); // A's late ack
      const afterLateAck = b.state;
      await wire.barrier(ack('B')); // B's ack
      await b.settled;
      return { a: a.state, afterLateAck, b: b.state, errors: errorCodes(wire.events) };
    },
    expected: { a: 'session_update_timeout', afterLateAck: 'pending', b: 'resolved', errors: [] },
  },
  {
    name: 'a session.updated from another sender on the call (a server-side guard) between an update and its answer is not taken for it',
    session: BASE,
    async run(wire) {
      await stallAcks(wire);
      const ack = await answers(wire);
      const before = (await wire.sentOf('session.update', 1)).length;
      const a = track(wire.transport.updateSession({ ...BASE, instructions: 'A' }));
      const updates = await wire.sentOf('session.update', before + 1);
      // A correction by the server-side connection lands first: the provider reports it to every connection.
      await wire.barrier(ack('Server-side correction.'));
      const afterForeign = a.state;
      // Then the provider refuses A: the refusal, not the foreign update, is A's answer.
      await wire.barrier(refusal(updates[before]!.event_id));
      await a.settled;
      await clearFaults(wire);
      const c = track(wire.transport.updateSession({ ...BASE, instructions: 'C' }));
      await c.settled;
      return { afterForeign, a: a.state, c: c.state, errors: errorCodes(wire.events) };
    },
    expected: { afterForeign: 'pending', a: 'session_update_rejected', c: 'resolved', errors: [] },
  },
  {
    name: 'a response asked for while one runs waits for it, and nothing is refused',
    session: BASE,
    async run(wire) {
      await wire.transport.sendText('one');
      await wire.event('assistant:delta');
      await wire.transport.sendText('two');
      await wire.event('assistant:done', (p) => p.text === reply('two'), { timeoutMs: 12_000 });
      const log = await wire.log();
      const serverErrors = log.events.filter((e: any) => e.direction === 'server' && e.type === 'error').map((e: any) => e.event.error.code);
      return {
        replies: doneTexts(wire),
        responseCreates: log.events.filter((e: any) => e.direction === 'client' && e.type === 'response.create').length,
        serverErrors,
        errors: errorCodes(wire.events),
      };
    },
    expected: {
      replies: [
        { text: reply('one'), status: 'completed' },
        { text: reply('two'), status: 'completed' },
      ],
      responseCreates: 2,
      serverErrors: [],
      errors: [],
    },
  },
  {
    name: 'an interrupt during a tool call cancels quietly, and the conversation goes on',
    session: LOOKUP,
    async run(wire) {
      let interrupted: ReturnType<typeof track> | undefined;
      const off = wire.transport.on('tool:call', () => {
        // While the response that made the call may still be open on the provider.
        interrupted ??= track(wire.transport.interrupt());
      });
      await wire.transport.sendText('call lookup {"q":"lighthouse"}');
      const call = await wire.event('tool:call');
      await wire.event('assistant:done', (p) => p.responseId === call.responseId);
      off();
      await interrupted!.settled;
      await wire.transport.sendToolResult(call.callId, { cancelled: true }, { requestResponse: false });
      await wire.transport.sendText('after the tool');
      await wire.event('assistant:done', (p) => p.text === reply('after the tool'), { timeoutMs: 12_000 });
      const log = await wire.log();
      const outputs = log.items.filter((item: any) => item.type === 'function_call_output').map((item: any) => item.call_id === call.callId);
      // A cancel that lost the race with the response's own end is the only error the provider may answer.
      const serverErrors = log.events
        .filter((e: any) => e.direction === 'server' && e.type === 'error' && !e.injected)
        .map((e: any) => e.event.error.code)
        .filter((code: string) => code !== 'response_cancel_not_active');
      return {
        call: { name: call.name, arguments: call.arguments },
        interrupt: interrupted!.state,
        outputs,
        last: doneTexts(wire).at(-1),
        serverErrors,
        errors: errorCodes(wire.events),
      };
    },
    expected: {
      call: { name: 'lookup', arguments: '{"q":"lighthouse"}' },
      interrupt: 'resolved',
      outputs: [true],
      last: { text: reply('after the tool'), status: 'completed' },
      serverErrors: [],
      errors: [],
    },
  },
  {
    name: 'events out of order: late duplicates of a finished response and a stray done change nothing',
    session: BASE,
    async run(wire) {
      await wire.transport.sendText('first');
      const first = await wire.event('assistant:done', (p) => p.text === reply('first'));
      const log = await wire.log();
      const created = log.events.find((e: any) => e.direction === 'server' && e.type === 'response.created' && e.event.response.id === first.responseId).event;
      const done = log.events.find((e: any) => e.direction === 'server' && e.type === 'response.done' && e.event.response.id === first.responseId).event;
      const afterFirst = wire.events.length;
      // The finished response "starts" again, streams, and ends again; then starts once more, never to end.
      await wire.barrier(
        { type: 'response.created', response: created.response },
        { type: 'response.output_text.delta', response_id: first.responseId, item_id: 'item_late', output_index: 0, content_index: 0, delta: 'late' },
        { type: 'response.done', response: done.response },
        { type: 'response.created', response: created.response },
      );
      const reopened = wire.events.slice(afterFirst).filter((e) => e.payload?.responseId === first.responseId).map((e) => e.name);
      // A new turn is still answered: the late response.created left nothing "running".
      await wire.transport.sendText('second');
      await wire.event('assistant:done', (p) => p.text === reply('second'), { timeoutMs: 12_000 });
      // A done for a response nobody created arrives mid-reply; a turn sent after it still waits for the real end.
      const beforeThird = wire.events.length;
      await wire.transport.sendText('third');
      const third = await wire.event('assistant:delta', () => true, { from: beforeThird });
      await wire.barrier({ type: 'response.done', response: { ...done.response, id: 'resp_stray', output: [] } });
      await wire.transport.sendText('fourth');
      await wire.event('assistant:done', (p) => p.text === reply('fourth'), { timeoutMs: 12_000 });
      const replies = doneTexts(wire, beforeThird).filter((r) => r.text !== '');
      const endLog = await wire.log();
      return {
        reopened,
        third: replies.find((r) => r.text === reply('third')) ? 'completed' : 'missing',
        thirdBeforeFourth: replies.map((r) => r.text).indexOf(reply('third')) < replies.map((r) => r.text).indexOf(reply('fourth')),
        thirdResponse: typeof third.responseId,
        serverErrors: endLog.events.filter((e: any) => e.direction === 'server' && e.type === 'error' && !e.injected).map((e: any) => e.event.error.code),
        errors: errorCodes(wire.events),
      };
    },
    expected: {
      reopened: [],
      third: 'completed',
      thirdBeforeFourth: true,
      thirdResponse: 'string',
      serverErrors: [],
      errors: [],
    },
  },
];

for (const scenario of SCENARIOS) {
  describe(`protocol scenario: ${scenario.name}`, () => {
    for (const adapter of ADAPTERS) {
      it(adapter, async function () {
        this.timeout(30_000);
        await need(this, ...needsOf(adapter));
        const wire = await openWire(adapter, scenario.session, scenario.options);
        try {
          const outcome = await scenario.run(wire);
          expect(outcome, `${adapter}: ${JSON.stringify(outcome)}`).to.deep.equal(scenario.expected);
          const { violations } = await emulatorControl(`/violations?sessionId=${encodeURIComponent(wire.sessionId)}`);
          expect(violations, JSON.stringify(violations.slice(0, 3))).to.deep.equal([]);
        } finally {
          await clearFaults(wire).catch(() => {});
          await wire.close();
        }
      });
    }
  });
}
