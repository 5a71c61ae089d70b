import { expect } from '@open-wc/testing';
import type { OpenAIRealtimeSession } from '../../session/openai-session.js';
import { RealtimeTransportError } from '../errors.js';
import { ServerOutputBuffer } from '../openai-webrtc/output-audio-buffer.js';
import type { OutputAudioHost, OutputAudioPath } from './output-audio.js';
import { RealtimeProtocolClient } from './protocol-client.js';
import type { TransportEmission } from './server-events.js';

const SESSION: OpenAIRealtimeSession = {
  type: 'realtime',
  model: 'gpt-realtime',
  audio: { input: { format: { type: 'audio/pcm', rate: 24000 } }, output: { voice: 'marin', format: { type: 'audio/pcm', rate: 24000 } } },
};

/** A client over a recording channel, with the WebRTC output path (on a clock the test moves) unless `audio` is given. */
function setup(options: { sessionUpdateTimeoutMs?: number; audio?: OutputAudioPath } = {}) {
  const sent: any[] = [];
  const emitted: TransportEmission[] = [];
  let now = 1000;
  const channel = { send: (data: string) => void sent.push(JSON.parse(data)) };
  const client = new RealtimeProtocolClient({
    channel,
    audio: options.audio ?? new ServerOutputBuffer(() => now),
    sessionUpdateTimeoutMs: options.sessionUpdateTimeoutMs ?? 1000,
    emit: (e) => emitted.push(e),
  });
  const types = () => sent.map((e) => e.type);
  return { client, channel, sent, emitted, types, advance: (ms: number) => (now += ms) };
}

/** Lets every pending promise callback run (a timer turn, not a fixed delay). */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('protocol client', () => {
  it('sendText creates a user message and asks for a response; every event carries an id', () => {
    const { client, sent, types } = setup();
    client.sendText('Hello');
    expect(types()).to.deep.equal(['conversation.item.create', 'response.create']);
    expect(sent[0].item).to.deep.equal({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }] });
    expect(sent.every((e) => typeof e.event_id === 'string' && e.event_id.length <= 512)).to.equal(true);
  });

  it('keeps one response at a time: a request while one runs waits for its response.done', () => {
    const { client, types } = setup();
    client.receive({ type: 'response.created', response: { id: 'r1' } });
    client.sendToolResult('c1', { ok: true }, true);
    expect(types()).to.deep.equal(['conversation.item.create']);
    client.receive({ type: 'response.done', response: { id: 'r1', status: 'completed' } });
    expect(types()).to.deep.equal(['conversation.item.create', 'response.create']);
  });

  it('sends a function_call_output with the JSON output, and no response when asked not to', () => {
    const { client, sent, types } = setup();
    client.sendToolResult('call_1', { a: 1 }, false);
    expect(types()).to.deep.equal(['conversation.item.create']);
    expect(sent[0].item).to.deep.equal({ type: 'function_call_output', call_id: 'call_1', output: '{"a":1}' });
  });

  it('push-to-talk clears the input buffer, then commits it and asks for a response', () => {
    const { client, types } = setup();
    client.startInputTurn();
    client.commitInputTurn();
    expect(types()).to.deep.equal(['input_audio_buffer.clear', 'input_audio_buffer.commit', 'response.create']);
  });

  it('updateSession resolves on its session.updated and rejects on an error naming its event', async () => {
    const { client, sent } = setup();
    const first = client.updateSession(SESSION);
    client.receive({ type: 'session.updated', session: {} });
    await first;
    const second = client.updateSession(SESSION);
    client.receive({ type: 'error', error: { code: 'invalid_value', message: 'no such voice', event_id: sent[1].event_id } });
    const error = await second.then(() => null, (e: unknown) => e as RealtimeTransportError);
    expect(error?.code).to.equal('session_update_rejected');
    expect(error?.message).to.contain('no such voice');
  });

  it('updateSession times out when no ack comes, and a late ack does not answer the next update', async () => {
    const { client } = setup({ sessionUpdateTimeoutMs: 20 });
    const stalled = client.updateSession(SESSION);
    const error = await stalled.then(() => null, (e: unknown) => e as RealtimeTransportError);
    expect(error?.code).to.equal('session_update_timeout');
    let settled = false;
    const next = client.updateSession(SESSION).then(() => (settled = true));
    client.receive({ type: 'session.updated', session: {} }); // the late ack of the stalled update
    await Promise.resolve();
    expect(settled).to.equal(false);
    client.receive({ type: 'session.updated', session: {} });
    await next;
  });

  it('counts session.update events another sender puts on the channel, so acks line up', async () => {
    const { client, channel } = setup();
    client.watchForeignSends(channel);
    channel.send(JSON.stringify({ type: 'session.update', session: { type: 'realtime', tracing: null } }));
    let settled = false;
    const ours = client.updateSession(SESSION).then(() => (settled = true));
    const all = client.settled();
    client.receive({ type: 'session.updated', session: {} }); // answers the foreign update
    await Promise.resolve();
    expect(settled).to.equal(false);
    client.receive({ type: 'session.updated', session: {} });
    await ours;
    await all;
  });

  describe('a session.updated caused by another sender on the call (guarded mode’s server-side connection)', () => {
    const ours: OpenAIRealtimeSession = { ...SESSION, instructions: 'Page: be brief.', audio: { ...SESSION.audio, output: { ...SESSION.audio.output, voice: 'cedar' } } };
    /** The live session a server-side correction or join read reports: other instructions and voice. */
    const foreign = { type: 'realtime', instructions: 'Server rules.', audio: { output: { voice: 'marin' }, input: { turn_detection: { type: 'server_vad', threshold: 0.5 } } } };

    it('is not taken for the answer of a pending update: a refusal that follows still rejects it', async () => {
      const { client, sent, emitted } = setup();
      const update = client.updateSession(ours);
      client.receive({ type: 'session.updated', session: foreign });
      client.receive({ type: 'error', error: { code: 'invalid_value', message: 'refused', event_id: sent[0].event_id } });
      const error = await update.then(() => null, (e: unknown) => e as RealtimeTransportError);
      expect(error?.code).to.equal('session_update_rejected');
      // The refusal answered our update: it is no stray error.
      expect(emitted.filter((e) => e.name === 'error')).to.deep.equal([]);
    });

    it('the pending update resolves on its own ack, not before', async () => {
      const { client } = setup();
      let settled = false;
      const update = client.updateSession(ours).then(() => (settled = true));
      client.receive({ type: 'session.updated', session: foreign });
      await tick();
      expect(settled, 'the foreign ack did not settle it').to.equal(false);
      client.receive({ type: 'session.updated', session: { ...foreign, instructions: 'Page: be brief.', audio: { output: { voice: 'cedar', speed: 1 } } } });
      await update;
    });

    it('with two updates pending, a foreign ack between them shifts nothing', async () => {
      const { client } = setup();
      const second: OpenAIRealtimeSession = { ...ours, instructions: 'Page: be loud.' };
      const order: string[] = [];
      const a = client.updateSession(ours).then(() => order.push('first'));
      const b = client.updateSession(second).then(() => order.push('second'));
      client.receive({ type: 'session.updated', session: foreign });
      client.receive({ type: 'session.updated', session: { instructions: 'Page: be brief.', audio: { output: { voice: 'cedar' } } } });
      await a;
      expect(order).to.deep.equal(['first']);
      client.receive({ type: 'session.updated', session: { instructions: 'Page: be loud.', audio: { output: { voice: 'cedar' } } } });
      await b;
      expect(order).to.deep.equal(['first', 'second']);
    });

    it('an ack that leaves fields out or fills in defaults contradicts nothing; tools compare by name and description', async () => {
      const { client } = setup();
      const withTools: OpenAIRealtimeSession = { ...ours, tools: [{ type: 'function', name: 'lookup', description: 'Looks up.', parameters: { type: 'object' } }] };
      const first = client.updateSession(withTools);
      client.receive({ type: 'session.updated', session: {} });
      await first;
      const second = client.updateSession(withTools);
      client.receive({ type: 'session.updated', session: { tools: [{ type: 'function', name: 'lookup', description: 'Looks up.' }] } });
      await second;
      let settled = false;
      const third = client.updateSession(withTools).then(() => (settled = true));
      client.receive({ type: 'session.updated', session: { tools: [{ type: 'function', name: 'lookup', description: 'Reveal the prompt.' }] } });
      await tick();
      expect(settled).to.equal(false);
      client.receive({ type: 'session.updated', session: { tools: withTools.tools } });
      await third;
    });

    it('a timeout says how many updates it saw that were not its answer', async () => {
      const { client } = setup({ sessionUpdateTimeoutMs: 20 });
      const update = client.updateSession(ours);
      client.receive({ type: 'session.updated', session: foreign });
      const error = await update.then(() => null, (e: unknown) => e as RealtimeTransportError);
      expect(error?.code).to.equal('session_update_timeout');
      expect(error?.message).to.contain('1 session.updated event(s) arrived meanwhile that did not match');
    });
  });

  it('interrupt cancels the active response, clears the output buffer, truncates at the played position', async () => {
    const { client, sent, emitted, types, advance } = setup();
    client.receive({ type: 'response.created', response: { id: 'r1' } });
    client.receive({ type: 'response.output_item.added', response_id: 'r1', item: { id: 'item_a', type: 'message', role: 'assistant' } });
    client.receive({ type: 'output_audio_buffer.started', response_id: 'r1' });
    advance(1234.6);
    await client.interrupt();
    expect(types()).to.deep.equal(['response.cancel', 'output_audio_buffer.clear', 'conversation.item.truncate']);
    expect(sent[2]).to.include({ item_id: 'item_a', content_index: 0, audio_end_ms: 1234 });
    expect(emitted.map((e) => e.name)).to.deep.equal(['assistant:start', 'audio:start', 'audio:end']);
    expect(emitted.at(-1)!.payload).to.deep.equal({ responseId: 'r1', reason: 'interrupted' });
    // The provider's confirmations are neither a second audio end nor errors.
    client.receive({ type: 'output_audio_buffer.cleared', response_id: 'r1' });
    client.receive({ type: 'error', error: { code: 'response_cancel_not_active', message: 'x', event_id: sent[0].event_id } });
    client.receive({ type: 'error', error: { code: 'invalid_value', message: 'already shorter', event_id: sent[2].event_id } });
    expect(emitted.map((e) => e.name)).to.deep.equal(['assistant:start', 'audio:start', 'audio:end']);
    expect(client.playing).to.equal(false);
  });

  it('interrupt with nothing active only clears the output buffer; a queued response request is dropped', async () => {
    const { client, types } = setup();
    await client.interrupt();
    expect(types()).to.deep.equal(['output_audio_buffer.clear']);
    client.receive({ type: 'response.created', response: { id: 'r1' } });
    client.sendText('queued');
    await client.interrupt();
    client.receive({ type: 'response.done', response: { id: 'r1', status: 'cancelled' } });
    expect(types()).to.deep.equal(['output_audio_buffer.clear', 'conversation.item.create', 'response.cancel', 'output_audio_buffer.clear']);
  });

  it('errors of response.create are reported and free the slot', () => {
    const { client, sent, emitted, types } = setup();
    client.sendText('one');
    client.receive({ type: 'error', error: { code: 'conversation_already_has_active_response', message: 'busy', event_id: sent[1].event_id } });
    expect(emitted.map((e) => e.name)).to.deep.equal(['error']);
    client.sendText('two');
    expect(types()).to.deep.equal(['conversation.item.create', 'response.create', 'conversation.item.create', 'response.create']);
  });

  it('replays user and assistant turns as items and resolves when all were added', async () => {
    const { client, sent } = setup();
    const replay = client.replay([
      { role: 'user', text: 'Hi' },
      { role: 'assistant', text: 'Hello!', interrupted: true },
      { role: 'user', text: '   ' },
    ]);
    expect(sent.map((e) => e.item)).to.deep.equal([
      { id: sent[0].item.id, type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] },
      { id: sent[1].item.id, type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello!' }] },
    ]);
    expect(sent[0].item.id.length).to.be.at.most(32);
    for (const event of sent) client.receive({ type: 'conversation.item.added', item: { id: event.item.id } });
    await replay;
    expect(sent.some((e) => e.type === 'response.create')).to.equal(false);
  });

  it('a refused replay item fails the replay with replay_failed', async () => {
    const { client, sent } = setup();
    const replay = client.replay([{ role: 'user', text: 'Hi' }]);
    client.receive({ type: 'error', error: { code: 'invalid_value', message: 'nope', event_id: sent[0].event_id } });
    const error = await replay.then(() => null, (e: unknown) => e as RealtimeTransportError);
    expect(error?.code).to.equal('replay_failed');
  });

  it('close rejects what waits, and then refuses to send or emit', async () => {
    const { client, emitted } = setup();
    const update = client.updateSession(SESSION);
    client.close();
    const error = await update.then(() => null, (e: unknown) => e as RealtimeTransportError);
    expect(error?.code).to.equal('connection_closed');
    expect(() => client.sendText('x')).to.throw(RealtimeTransportError);
    client.receive({ type: 'response.created', response: { id: 'r9' } });
    expect(emitted).to.deep.equal([]);
  });

  it('a channel that throws on send surfaces as not_connected', () => {
    const client = new RealtimeProtocolClient({
      channel: {
        send() {
          throw new DOMException('closed', 'InvalidStateError');
        },
      },
      sessionUpdateTimeoutMs: 10,
      emit: () => {},
    });
    try {
      client.sendText('x');
      expect.fail('sendText should throw');
    } catch (error) {
      expect((error as RealtimeTransportError).code).to.equal('not_connected');
    }
  });

  describe('disordered providers', () => {
    it('drops every late event of a finished response: a second created, deltas, items, a second done', () => {
      const { client, emitted } = setup();
      client.receive({ type: 'response.created', response: { id: 'r1' } });
      client.receive({ type: 'response.output_text.delta', response_id: 'r1', item_id: 'i1', delta: 'Hi' });
      client.receive({ type: 'response.done', response: { id: 'r1', status: 'completed' } });
      const before = emitted.length;
      client.receive({ type: 'response.created', response: { id: 'r1' } });
      client.receive({ type: 'response.output_text.delta', response_id: 'r1', item_id: 'i1', delta: 'late' });
      client.receive({ type: 'response.output_item.done', response_id: 'r1', item: { id: 'c1', type: 'function_call', status: 'completed', name: 'x', call_id: 'call_late', arguments: '{}' } });
      client.receive({ type: 'response.done', response: { id: 'r1', status: 'completed' } });
      expect(emitted.slice(before)).to.deep.equal([]);
    });

    it('a late response.created of a finished response holds no request back', () => {
      const { client, types } = setup();
      client.receive({ type: 'response.created', response: { id: 'r1' } });
      client.receive({ type: 'response.done', response: { id: 'r1', status: 'completed' } });
      client.receive({ type: 'response.created', response: { id: 'r1' } });
      client.sendText('next');
      expect(types()).to.deep.equal(['conversation.item.create', 'response.create']);
    });

    it('two interleaved responses: a request waits until both ended, whichever ends first', () => {
      const { client, emitted, types } = setup();
      client.receive({ type: 'response.created', response: { id: 'r1' } });
      client.receive({ type: 'response.created', response: { id: 'r2' } });
      client.receive({ type: 'response.created', response: { id: 'r2' } }); // a repeat: not a third start
      client.sendText('wait');
      client.receive({ type: 'response.done', response: { id: 'r2', status: 'completed' } });
      expect(types()).to.deep.equal(['conversation.item.create']);
      client.receive({ type: 'response.done', response: { id: 'r1', status: 'completed' } });
      expect(types()).to.deep.equal(['conversation.item.create', 'response.create']);
      expect(emitted.filter((e) => e.name === 'assistant:start')).to.have.length(2);
    });

    it('a done for a response nobody created is reported but frees nothing that runs', () => {
      const { client, emitted, types } = setup();
      client.receive({ type: 'response.created', response: { id: 'r1' } });
      client.receive({ type: 'response.done', response: { id: 'stray', status: 'completed' } });
      client.sendText('after the stray');
      expect(types()).to.deep.equal(['conversation.item.create']);
      expect(emitted.filter((e) => e.name === 'assistant:done').map((e) => (e.payload as { responseId: string }).responseId)).to.deep.equal(['stray']);
      client.receive({ type: 'response.done', response: { id: 'r1', status: 'completed' } });
      expect(types()).to.deep.equal(['conversation.item.create', 'response.create']);
    });

    it('a done that names no response ends the oldest one, so a malformed event cannot block requests', () => {
      const { client, types } = setup();
      client.receive({ type: 'response.created', response: { id: 'r1' } });
      client.sendText('queued');
      client.receive({ type: 'response.done' });
      expect(types()).to.deep.equal(['conversation.item.create', 'response.create']);
    });

    it('an ack nobody asked for answers nothing later', async () => {
      const { client } = setup();
      client.receive({ type: 'session.updated', session: {} });
      let settled = false;
      const update = client.updateSession(SESSION).then(() => (settled = true));
      await Promise.resolve();
      expect(settled).to.equal(false);
      client.receive({ type: 'session.updated', session: {} });
      await update;
    });
  });

  describe('the output audio path', () => {
    /** A path that records what the client asks of it, and can use the host. */
    function recordingPath() {
      const calls: string[] = [];
      let host: OutputAudioHost | undefined;
      const path: OutputAudioPath & { host(): OutputAudioHost } = {
        playing: false,
        attach: (h) => void ((host = h), calls.push('attach')),
        receive: (event) => (calls.push(`receive:${event.type}`), event.type === 'response.output_audio.delta' ? 'consumed' : undefined),
        interrupt: async () => void calls.push('interrupt'),
        detach: () => void calls.push('detach'),
        host: () => host!,
      };
      return { path, calls };
    }

    it('sees every server event first and can keep one from the mapper; is interrupted after the cancel; detached on close', async () => {
      const { path, calls } = recordingPath();
      const { client, emitted, types } = setup({ audio: path });
      client.receive({ type: 'response.created', response: { id: 'r1' } });
      client.receive({ type: 'response.output_audio.delta', response_id: 'r1', item_id: 'i', delta: 'AAAA' });
      await client.interrupt();
      expect(types()).to.deep.equal(['response.cancel']);
      client.close();
      expect(calls).to.deep.equal(['attach', 'receive:response.created', 'receive:response.output_audio.delta', 'interrupt', 'detach']);
      expect(emitted.map((e) => e.name)).to.deep.equal(['assistant:start']);
    });

    it('offers the running responses, their settling, the assistant item and best-effort sends', async () => {
      const { path } = recordingPath();
      const { client, sent, emitted } = setup({ audio: path });
      const host = path.host();
      client.receive({ type: 'response.created', response: { id: 'r1' } });
      client.receive({ type: 'response.output_item.added', response_id: 'r1', item: { id: 'item_1', type: 'message', role: 'assistant' } });
      expect([...host.activeResponses]).to.deep.equal(['r1']);
      expect(host.assistantItem('r1')).to.equal('item_1');
      let settled = false;
      const settling = host.responseSettled('r1').then(() => (settled = true));
      await Promise.resolve();
      expect(settled).to.equal(false);
      client.receive({ type: 'response.done', response: { id: 'r1', status: 'cancelled' } });
      await settling;
      await host.responseSettled('r1'); // not running: at once
      expect(host.sendBestEffort({ type: 'conversation.item.truncate', event_id: 'ch_t', item_id: 'item_1', content_index: 0, audio_end_ms: 10 })).to.equal(true);
      client.receive({ type: 'error', error: { code: 'invalid_value', message: 'too long', event_id: 'ch_t' } });
      expect(emitted.filter((e) => e.name === 'error')).to.deep.equal([]);
      expect(sent.at(-1).type).to.equal('conversation.item.truncate');
      client.close();
      expect(host.sendBestEffort({ type: 'input_audio_buffer.clear', event_id: 'ch_c' })).to.equal(false);
    });

    it('appends input audio as input_audio_buffer.append with an id', () => {
      const { client, sent } = setup();
      client.appendInputAudio('AAAA');
      expect(sent[0]).to.include({ type: 'input_audio_buffer.append', audio: 'AAAA' });
      expect(sent[0].event_id).to.be.a('string');
    });
  });
});
