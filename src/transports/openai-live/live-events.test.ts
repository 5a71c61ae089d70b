import { expect } from '@open-wc/testing';
import { LiveEventMapper, type LiveEmission } from './live-events.js';
import { LiveWebRTCTransport } from './live-transport.js';
import { AudioContextOwner } from '../audio/audio-context-owner.js';
import { TRANSPORT_ERROR_CODES } from '../errors.js';
import { OpenAIServerError } from '../protocol/server-error.js';

/** A mapper whose emissions are recorded; timing short so the tests wait on real (small) gaps. */
function mapper(timing = { utteranceGapMs: 40, userGapMs: 40 }) {
  const out: LiveEmission[] = [];
  let unmuted = 0;
  const m = new LiveEventMapper((e) => out.push(e), timing, () => (unmuted += 1));
  const names = () => out.map((e) => e.name);
  const of = <N extends LiveEmission['name']>(name: N) => out.filter((e) => e.name === name).map((e) => e.payload) as Array<Extract<LiveEmission, { name: N }>['payload']>;
  return { m, out, names, of, unmuted: () => unmuted };
}
const output = (delta: string, start: number, end = start + 50) => ({ type: 'session.output_transcript.delta', event_id: 'e', delta, start_ms: start, end_ms: end });
const input = (delta: string, start: number) => ({ type: 'session.input_transcript.delta', event_id: 'e', delta, start_ms: start, end_ms: start + 50 });
const nested = (delegationId: string | null, event: Record<string, unknown>) => ({ type: 'response.event', event_id: 'e', delegation_id: delegationId, event });
const until = async (test: () => boolean) => {
  for (let i = 0; i < 200 && !test(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(test()).to.equal(true);
};

describe('openai-live-webrtc: turns from GPT-Live events', () => {
  it('an utterance opens on its first delta and closes after a quiet gap; the user turn becomes final when the assistant answers', async () => {
    const { m, names, of } = mapper();
    m.handle(input('how ', 0));
    m.handle(input('are you', 50));
    m.handle(output('Fine, ', 200));
    m.handle(output('thanks.', 250));
    expect(of('user:transcript')).to.deep.equal([
      { itemId: 'live_in_1', text: 'how ', final: false },
      { itemId: 'live_in_1', text: 'how are you', final: false },
      { itemId: 'live_in_1', text: 'how are you', final: true },
    ]);
    expect(of('assistant:start')).to.deep.equal([{ responseId: 'live_utt_2', phase: 'final' }]);
    await until(() => names().includes('assistant:done'));
    expect(of('assistant:done')).to.deep.equal([{ responseId: 'live_utt_2', text: 'Fine, thanks.', status: 'completed' }]);
    expect(of('audio:end')).to.deep.equal([{ responseId: 'live_utt_2', reason: 'stopped' }]);
  });

  it('commentary while a delegation runs; the answer after a pause is its own final turn', () => {
    const { m, of } = mapper({ utteranceGapMs: 5000, userGapMs: 5000 });
    m.handle({ type: 'session.delegation.created', event_id: 'e', offset_ms: 0, delegation: { id: 'del_1', target: 'client', type: 'delegation' } });
    m.handle(output('One moment.', 0, 500));
    m.resolveDelegation('del_1');
    m.handle(output('Still', 520, 560)); // no pause: the same utterance goes on
    m.handle(output('Nine.', 900, 1000)); // a pause, and the phase changed: a new turn
    expect(of('delegation')).to.deep.equal([{ delegationId: 'del_1', target: 'client' }]);
    expect(of('assistant:start').map((s) => s.phase)).to.deep.equal(['commentary', 'final']);
    expect(of('assistant:done')[0]).to.deep.equal({ responseId: 'live_utt_1', text: 'One moment.Still', status: 'completed' });
  });

  it('a delivery stall that closes commentary mid-sentence: the rest, contiguous on the timeline, stays commentary though the delegation was answered meanwhile', async () => {
    const { m, names, of } = mapper();
    m.handle({ type: 'session.delegation.created', event_id: 'e', offset_ms: 0, delegation: { id: 'del_1', target: 'client', type: 'delegation' } });
    m.handle(output('One moment, ', 0, 20));
    await until(() => names().includes('assistant:done')); // the wall-clock gap closed it
    m.resolveDelegation('del_1');
    m.handle(output('let me check that.', 20, 60)); // starts where the first part ended: the same speech
    m.handle(output('Nine.', 400, 450)); // after a pause on the timeline: the answer
    expect(of('assistant:start').map((s) => s.phase)).to.deep.equal(['commentary', 'commentary', 'final']);
    await until(() => of('assistant:done').length === 3);
    expect(of('assistant:done').map((d) => d.text)).to.deep.equal(['One moment, ', 'let me check that.', 'Nine.']);
  });

  it('after a quiet gap and a pause on the timeline, the next utterance takes the phase of its moment', async () => {
    const { m, names, of } = mapper();
    m.handle({ type: 'session.delegation.created', event_id: 'e', offset_ms: 0, delegation: { id: 'del_1', target: 'client', type: 'delegation' } });
    m.handle(output('One moment.', 0, 20));
    await until(() => names().includes('assistant:done'));
    m.resolveDelegation('del_1');
    m.handle(output('We open at nine.', 500, 560));
    expect(of('assistant:start').map((s) => s.phase)).to.deep.equal(['commentary', 'final']);
  });

  it('function calls of a nested response are emitted together when it completes, with token usage; a delegation resolves when its response answers', () => {
    const { m, of } = mapper();
    m.handle({ type: 'session.delegation.created', event_id: 'e', offset_ms: 0, delegation: { id: 'del_2', target: 'responses', type: 'delegation', response_id: 'resp_1' } });
    m.handle(nested('del_2', { type: 'response.created', response: { id: 'resp_1' } }));
    for (const [id, name] of [['call_a', 'one'], ['call_b', 'two']]) {
      m.handle(nested('del_2', { type: 'response.output_item.done', item: { type: 'function_call', call_id: id, name, arguments: '{}' } }));
    }
    expect(of('tool:call')).to.deep.equal([], 'nothing before the response completes');
    m.handle(nested('del_2', { type: 'response.completed', response: { id: 'resp_1', usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 } } }));
    expect(of('tool:call')).to.deep.equal([
      { callId: 'call_a', name: 'one', arguments: '{}' },
      { callId: 'call_b', name: 'two', arguments: '{}' },
    ]);
    expect(of('usage')).to.deep.equal([{ responseId: 'resp_1', usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 } }]);
    expect(m.openDelegations.has('del_2')).to.equal(true, 'waiting for the tool results');
    m.handle(nested('del_2', { type: 'response.created', response: { id: 'resp_2' } }));
    m.handle(nested('del_2', { type: 'response.completed', response: { id: 'resp_2' } }));
    expect(m.openDelegations.has('del_2')).to.equal(false);
  });

  it('usage by the second, errors with their code, and garbage ignored', () => {
    const { m, of } = mapper();
    m.handle({ type: 'session.usage.updated', event_id: 'e', usage: { seconds: 4.2 }, context_window: { usage_ratio: 0.1 } });
    m.handle({ type: 'session.usage.updated', event_id: 'e', usage: { seconds: 'lots' } });
    m.handle({ type: 'error', event_id: 'e', error: { type: 'invalid_request_error', code: 'client_event_not_allowed', message: 'no', client_event_id: 'x' } });
    m.handle({ type: 'session.output_transcript.delta', event_id: 'e' });
    m.handle({ type: 'session.delegation.created', event_id: 'e', delegation: { id: 7 } });
    m.handle({ type: 'response.event', event_id: 'e', event: 'nope' });
    expect(of('usage')).to.deep.equal([{ usage: { seconds: 4.2, contextUsageRatio: 0.1 } }]);
    const [error] = of('error');
    expect(error!.code).to.equal('client_event_not_allowed', "the event's code is GPT-Live's own, as on every adapter");
    expect(error!.error).to.be.instanceOf(OpenAIServerError);
    const server = error!.error as OpenAIServerError;
    expect([server.code, server.providerCode, server.eventId]).to.deep.equal(['server_error', 'client_event_not_allowed', 'x']);
    expect(of('assistant:start')).to.deep.equal([]);
    expect(of('delegation')).to.deep.equal([]);
  });

  it('interrupt ends the utterance as cancelled and drops the rest of it until a pause shows the next one', async () => {
    const { m, of, unmuted } = mapper({ utteranceGapMs: 5000, userGapMs: 5000 });
    m.handle(output('A long ', 0, 100));
    expect(m.interrupt()).to.equal(true);
    m.handle(output('sentence', 100, 200));
    m.handle(output('goes on.', 200, 300));
    m.handle(output('Next.', 700, 800));
    expect(of('assistant:done')).to.deep.equal([{ responseId: 'live_utt_1', text: 'A long ', status: 'cancelled' }]);
    expect(of('audio:end')[0]!.reason).to.equal('interrupted');
    expect(of('assistant:delta').map((d) => d.delta)).to.deep.equal(['A long ', 'Next.']);
    expect(unmuted()).to.equal(1, 'the voice is audible again for the next utterance');
    expect(m.interrupt()).to.equal(true);
    expect(m.interrupt()).to.equal(false, 'nothing left to interrupt');
    m.dispose();
  });
});

describe('openai-live-webrtc: a browser without WebRTC', () => {
  it('rejects connect() with unsupported and creates nothing', async () => {
    const original = globalThis.RTCPeerConnection;
    (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection = undefined;
    let bootstraps = 0;
    try {
      const transport = new LiveWebRTCTransport({ bootstrap: async () => (bootstraps += 1), audio: new AudioContextOwner() });
      let code: string | undefined;
      try {
        await transport.connect({ session: {}, reason: 'start', history: [], sessionId: 's' }, new AbortController().signal);
      } catch (error) {
        code = (error as { code?: string }).code;
      }
      expect(code).to.equal('unsupported');
      expect(TRANSPORT_ERROR_CODES).to.include(code);
      expect(bootstraps).to.equal(0);
    } finally {
      globalThis.RTCPeerConnection = original;
    }
  });
});
