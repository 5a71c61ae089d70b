import { expect } from '@open-wc/testing';
import { OpenAIServerError } from './server-error.js';
import { OpenAIServerEventMapper, type TransportEmission } from './server-events.js';

const names = (emissions: TransportEmission[]) => emissions.map((e) => e.name);

function doneEvent(response: Record<string, unknown>) {
  return { type: 'response.done', event_id: 'e', response: { object: 'realtime.response', ...response } };
}

describe('protocol: server event mapper', () => {
  let mapper: OpenAIServerEventMapper;
  beforeEach(() => (mapper = new OpenAIServerEventMapper()));

  it('accumulates user transcription deltas per item and ends with the final transcript', () => {
    const a1 = mapper.map({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'a', delta: 'Hel' });
    const b1 = mapper.map({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'b', delta: 'Other' });
    const a2 = mapper.map({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'a', delta: 'lo' });
    const final = mapper.map({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'a', transcript: 'Hello.' });
    expect([...a1, ...b1, ...a2, ...final].map((e) => e.payload)).to.deep.equal([
      { itemId: 'a', text: 'Hel', final: false },
      { itemId: 'b', text: 'Other', final: false },
      { itemId: 'a', text: 'Hello', final: false },
      { itemId: 'a', text: 'Hello.', final: true },
    ]);
    // The item's partial state is gone: a new delta starts over.
    const again = mapper.map({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'a', delta: 'x' });
    expect(again[0]!.payload).to.deep.equal({ itemId: 'a', text: 'x', final: false });
  });

  it('a completed event without a transcript falls back to the running text', () => {
    mapper.map({ type: 'conversation.item.input_audio_transcription.delta', item_id: 'a', delta: 'partial' });
    const out = mapper.map({ type: 'conversation.item.input_audio_transcription.completed', item_id: 'a' });
    expect(out).to.deep.equal([{ name: 'user:transcript', payload: { itemId: 'a', text: 'partial', final: true } }]);
  });

  it('maps speech start, response start and both delta kinds', () => {
    expect(mapper.map({ type: 'input_audio_buffer.speech_started', item_id: 'i1', audio_start_ms: 0 })).to.deep.equal([
      { name: 'user:speech-start', payload: { itemId: 'i1' } },
    ]);
    expect(mapper.map({ type: 'response.created', response: { id: 'r1', status: 'in_progress' } })).to.deep.equal([
      { name: 'assistant:start', payload: { responseId: 'r1' } },
    ]);
    expect(mapper.map({ type: 'response.output_audio_transcript.delta', response_id: 'r1', item_id: 'x', delta: 'Hi ' })).to.deep.equal([
      { name: 'assistant:delta', payload: { responseId: 'r1', delta: 'Hi ' } },
    ]);
    expect(mapper.map({ type: 'response.output_text.delta', response_id: 'r1', item_id: 'x', delta: 'there' })).to.deep.equal([
      { name: 'assistant:delta', payload: { responseId: 'r1', delta: 'there' } },
    ]);
  });

  it('maps the idle timeout with the silence it bounds; bad offsets are dropped, never passed on', () => {
    expect(mapper.map({ type: 'input_audio_buffer.timeout_triggered', event_id: 'e', item_id: 'i9', audio_start_ms: 13_216, audio_end_ms: 19_232 })).to.deep.equal([
      { name: 'idle:timeout', payload: { itemId: 'i9', audioStartMs: 13_216, audioEndMs: 19_232 } },
    ]);
    for (const hostile of [
      { audio_start_ms: '1', audio_end_ms: 2 },
      { audio_start_ms: 5, audio_end_ms: 4 },
      { audio_start_ms: -1, audio_end_ms: 4 },
      { audio_start_ms: 0, audio_end_ms: Number.POSITIVE_INFINITY },
      {},
    ]) {
      expect(mapper.map({ type: 'input_audio_buffer.timeout_triggered', item_id: 'i9', ...hostile }), JSON.stringify(hostile)).to.deep.equal([
        { name: 'idle:timeout', payload: { itemId: 'i9' } },
      ]);
    }
    expect(mapper.map({ type: 'input_audio_buffer.timeout_triggered', item_id: 7 })).to.deep.equal([{ name: 'idle:timeout', payload: {} }]);
  });

  it('response.done emits usage, then assistant:done with status and the whole text', () => {
    mapper.map({ type: 'response.created', response: { id: 'r1' } });
    mapper.map({ type: 'response.output_audio_transcript.delta', response_id: 'r1', delta: 'Hello ' });
    mapper.map({ type: 'response.output_audio_transcript.delta', response_id: 'r1', delta: 'world' });
    const out = mapper.map(
      doneEvent({
        id: 'r1',
        status: 'completed',
        output: [],
        usage: {
          total_tokens: 30,
          input_tokens: 10,
          output_tokens: 20,
          input_token_details: { cached_tokens: 4 },
          output_token_details: { audio_tokens: 15, text_tokens: 5 },
        },
      }),
    );
    expect(out).to.deep.equal([
      {
        name: 'usage',
        payload: {
          responseId: 'r1',
          usage: {
            totalTokens: 30,
            inputTokens: 10,
            outputTokens: 20,
            details: { input_token_details: { cached_tokens: 4 }, output_token_details: { audio_tokens: 15, text_tokens: 5 } },
          },
        },
      },
      { name: 'assistant:done', payload: { responseId: 'r1', text: 'Hello world', status: 'completed' } },
    ]);
  });

  it('prefers the output items’ transcript for the final text, and maps every status', () => {
    mapper.map({ type: 'response.output_audio_transcript.delta', response_id: 'r2', delta: 'Hel' });
    const out = mapper.map(
      doneEvent({
        id: 'r2',
        status: 'cancelled',
        output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_audio', transcript: 'Hel' }] }],
      }),
    );
    expect(out).to.deep.equal([{ name: 'assistant:done', payload: { responseId: 'r2', text: 'Hel', status: 'cancelled' } }]);
    for (const status of ['completed', 'incomplete', 'failed'] as const) {
      const [done] = mapper.map(doneEvent({ id: `r-${status}`, status, output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'T' }] }] }));
      expect(done).to.deep.equal({ name: 'assistant:done', payload: { responseId: `r-${status}`, text: 'T', status } });
    }
    const [odd] = mapper.map(doneEvent({ id: 'r-odd', status: 'weird' }));
    expect(odd!.payload).to.include({ status: 'failed', text: '' });
  });

  it('maps output audio buffer events to audio start/end with reasons', () => {
    expect(mapper.map({ type: 'output_audio_buffer.started', response_id: 'r1' })).to.deep.equal([{ name: 'audio:start', payload: { responseId: 'r1' } }]);
    expect(mapper.map({ type: 'output_audio_buffer.stopped', response_id: 'r1' })).to.deep.equal([
      { name: 'audio:end', payload: { reason: 'stopped', responseId: 'r1' } },
    ]);
    expect(mapper.map({ type: 'output_audio_buffer.cleared' })).to.deep.equal([{ name: 'audio:end', payload: { reason: 'cleared' } }]);
  });

  it('maps error events to an OpenAIServerError (code server_error) with the provider code', () => {
    const [out] = mapper.map({
      type: 'error',
      event_id: 'e1',
      error: { type: 'invalid_request_error', code: 'invalid_value', message: 'Bad value', param: 'session.voice', event_id: 'ch_1' },
    });
    expect(out!.name).to.equal('error');
    const payload = out!.payload as { error: OpenAIServerError; code?: string };
    expect(payload.code).to.equal('invalid_value');
    expect(payload.error).to.be.instanceOf(OpenAIServerError);
    expect(payload.error.message).to.equal('Bad value');
    expect(payload.error).to.include({ code: 'server_error', providerCode: 'invalid_value', type: 'invalid_request_error', param: 'session.voice', eventId: 'ch_1' });
    const [bare] = mapper.map({ type: 'error' });
    expect((bare!.payload as { error: Error }).error.message).to.be.a('string');
  });

  describe('tool calls', () => {
    it('emits a call at function_call_arguments.done, before that response’s assistant:done', () => {
      const all: TransportEmission[] = [];
      const feed = (event: unknown) => all.push(...mapper.map(event));
      feed({ type: 'response.created', response: { id: 'r1' } });
      feed({ type: 'response.output_item.added', response_id: 'r1', item: { id: 'it1', type: 'function_call', name: 'get_time', call_id: 'c1', arguments: '' } });
      feed({ type: 'response.function_call_arguments.delta', response_id: 'r1', item_id: 'it1', call_id: 'c1', delta: '{"tz"' });
      feed({ type: 'response.function_call_arguments.done', response_id: 'r1', item_id: 'it1', call_id: 'c1', name: 'get_time', arguments: '{"tz":"UTC"}' });
      feed({ type: 'response.output_item.done', response_id: 'r1', item: { id: 'it1', type: 'function_call', status: 'completed', name: 'get_time', call_id: 'c1', arguments: '{"tz":"UTC"}' } });
      feed(doneEvent({ id: 'r1', status: 'completed', output: [{ id: 'it1', type: 'function_call', status: 'completed', name: 'get_time', call_id: 'c1', arguments: '{"tz":"UTC"}' }] }));
      expect(names(all)).to.deep.equal(['assistant:start', 'tool:call', 'assistant:done']);
      expect(all[1]!.payload).to.deep.equal({ responseId: 'r1', callId: 'c1', name: 'get_time', arguments: '{"tz":"UTC"}' });
    });

    it('takes the name from the output item when the arguments event leaves it out', () => {
      mapper.map({ type: 'response.output_item.added', response_id: 'r1', item: { id: 'it1', type: 'function_call', name: 'lookup', call_id: 'c1' } });
      const out = mapper.map({ type: 'response.function_call_arguments.done', response_id: 'r1', item_id: 'it1', call_id: 'c1', arguments: '{}' });
      expect(out).to.deep.equal([{ name: 'tool:call', payload: { responseId: 'r1', callId: 'c1', name: 'lookup', arguments: '{}' } }]);
    });

    it('reports calls found only in response.done, all before assistant:done, each once', () => {
      const out = mapper.map(
        doneEvent({
          id: 'r1',
          status: 'completed',
          output: [
            { type: 'function_call', status: 'completed', name: 'a', call_id: 'c1', arguments: '{"x":1}' },
            { type: 'function_call', status: 'completed', name: 'b', call_id: 'c2', arguments: '{}' },
            { type: 'function_call', status: 'completed', name: 'a', call_id: 'c1', arguments: '{"x":1}' },
            { type: 'function_call', status: 'incomplete', name: 'c', call_id: 'c3', arguments: '{"trunc' },
          ],
          usage: { total_tokens: 1 },
        }),
      );
      expect(names(out)).to.deep.equal(['tool:call', 'tool:call', 'usage', 'assistant:done']);
      expect(out.slice(0, 2).map((e) => (e.payload as { callId: string }).callId)).to.deep.equal(['c1', 'c2']);
    });

    it('never reports the same call id twice, whichever events carry it', () => {
      const args = { response_id: 'r1', item_id: 'it1', call_id: 'c1', name: 'f', arguments: '{}' };
      expect(mapper.map({ type: 'response.function_call_arguments.done', ...args })).to.have.length(1);
      expect(mapper.map({ type: 'response.function_call_arguments.done', ...args })).to.have.length(0);
      expect(mapper.map({ type: 'response.output_item.done', response_id: 'r1', item: { type: 'function_call', status: 'completed', name: 'f', call_id: 'c1', arguments: '{}' } })).to.have.length(0);
    });

    it('an in-progress function_call item is not a call yet', () => {
      const out = mapper.map({ type: 'response.output_item.done', response_id: 'r1', item: { type: 'function_call', status: 'incomplete', name: 'f', call_id: 'c9', arguments: '{"a' } });
      expect(out).to.deep.equal([]);
    });
  });

  describe('untrusted input', () => {
    const malformed: unknown[] = [
      null,
      undefined,
      42,
      'response.created',
      [],
      {},
      { type: 7 },
      { type: 'response.created' },
      { type: 'response.created', response: 'r1' },
      { type: 'response.created', response: { id: 5 } },
      { type: 'response.created', response: { id: '' } },
      { type: 'response.output_audio_transcript.delta', delta: 'no response id' },
      { type: 'response.output_text.delta', response_id: 'r1', delta: 5 },
      { type: 'response.output_text.delta', response_id: 'r1', delta: '' },
      { type: 'conversation.item.input_audio_transcription.delta', delta: 'no item' },
      { type: 'conversation.item.input_audio_transcription.delta', item_id: 3, delta: 'x' },
      { type: 'conversation.item.input_audio_transcription.completed', item_id: 'never-seen' },
      { type: 'response.function_call_arguments.done', response_id: 'r1', call_id: 'c1', arguments: '{}' },
      { type: 'response.function_call_arguments.done', response_id: 'r1', call_id: 5, name: 'f', arguments: '{}' },
      { type: 'response.function_call_arguments.done', response_id: 'r1', call_id: 'c1', name: 'f', arguments: { a: 1 } },
      { type: 'response.function_call_arguments.done', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'response.done' },
      { type: 'response.done', response: null },
      { type: 'response.done', response: { status: 'completed' } },
      { type: 'response.output_item.done', response_id: 'r1', item: null },
      { type: 'some.future.event', anything: true },
    ];
    for (const event of malformed) {
      it(`ignores ${JSON.stringify(event) ?? String(event)}`, () => {
        expect(mapper.map(event)).to.deep.equal([]);
      });
    }

    it('survives hostile objects and garbage usage', () => {
      const hostile = Object.defineProperty({ type: 'response.created' }, 'response', {
        get() {
          throw new Error('boom');
        },
      });
      expect(mapper.map(hostile)).to.deep.equal([]);
      const out = mapper.map(doneEvent({ id: 'r1', status: 'completed', usage: { total_tokens: 'many', input_tokens: -1, output_tokens: NaN } }));
      expect(names(out)).to.deep.equal(['assistant:done']);
      const calls = mapper.map(doneEvent({ id: 'r2', status: 'completed', output: [null, 5, { type: 'function_call', call_id: 'c', name: 7, arguments: '{}' }] }));
      expect(names(calls)).to.deep.equal(['assistant:done']);
    });

    it('optional ids are left out rather than set to undefined', () => {
      const [start] = mapper.map({ type: 'input_audio_buffer.speech_started', item_id: 12 });
      expect(start!.payload).to.deep.equal({});
      expect(Object.keys(start!.payload)).to.deep.equal([]);
    });
  });
});
