import { expect } from '@open-wc/testing';
import { EventLog, mintSecret, pcm16Level, SET_EXPRESSION_TOOL, sessionLog, websocketUrl, type WireEvent } from './browser-support.js';

describe('emulator: the browser WebSocket with an ek_ secret as subprotocol', () => {
  let socket: WebSocket;
  const log = new EventLog();
  let sessionId = '';
  const send = (event: Record<string, unknown>): void => socket.send(JSON.stringify(event));
  const userText = (text: string): Record<string, unknown> => ({
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  });

  before(async () => {
    const secret = await mintSecret({ instructions: 'Emulator test.' }, 'openai-websocket');
    socket = new WebSocket(`${websocketUrl}?model=gpt-realtime`, ['realtime', `openai-insecure-api-key.${secret}`]);
    socket.addEventListener('message', (message) => log.push(JSON.parse(String(message.data)) as WireEvent));
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error('WebSocket failed')), { once: true });
    });
    expect(socket.protocol).to.equal('realtime');
    const created = await log.next('session.created');
    sessionId = (created.session as { id: string }).id;
    expect((created.session as { instructions: string }).instructions).to.equal('Emulator test.');
  });

  after(() => socket?.close());

  it('session.update is answered with the updated session', async () => {
    send({ type: 'session.update', session: { type: 'realtime', tools: [SET_EXPRESSION_TOOL], audio: { input: { turn_detection: null } } } });
    const updated = await log.next('session.updated');
    expect((updated.session as { tools: Array<{ name: string }> }).tools[0]!.name).to.equal('setExpression');
  });

  it('a text turn streams transcript deltas and PCM16 speech with a nonzero level', async () => {
    const start = log.cursor;
    send(userText('hello'));
    send({ type: 'response.create' });
    const done = await log.next('response.done');
    expect((done.response as { status: string }).status).to.equal('completed');
    const transcript = log.all('response.output_audio_transcript.delta', start).map((e) => e.delta).join('');
    expect(transcript).to.equal('You said "hello". This is the emulator speaking.');
    const levels = log.all('response.output_audio.delta', start).map((e) => pcm16Level(e.delta as string));
    expect(levels.length).to.be.greaterThan(0);
    expect(Math.max(...levels)).to.be.greaterThan(0.05);
  });

  it('a tool call round-trips', async () => {
    send(userText('call setExpression {"expressionId":"Smile"}'));
    send({ type: 'response.create' });
    const args = await log.next('response.function_call_arguments.done');
    expect(args.name).to.equal('setExpression');
    await log.next('response.done');
    send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: args.call_id, output: '{"ok":true}' } });
    send({ type: 'response.create' });
    const answer = await log.next('response.output_audio_transcript.done');
    expect(answer.transcript).to.contain('setExpression returned {"ok":true}');
    await log.next('response.done');
  });

  it('response.cancel interrupts; truncating the heard audio is acknowledged', async () => {
    send(userText('Please answer with something rather long, so that there is time to interrupt you.'));
    send({ type: 'response.create' });
    const delta = await log.next('response.output_audio.delta');
    send({ type: 'response.cancel' });
    const done = await log.next('response.done');
    expect((done.response as { status: string }).status).to.equal('cancelled');
    send({ type: 'conversation.item.truncate', item_id: delta.item_id, content_index: 0, audio_end_ms: 100 });
    const truncated = await log.next('conversation.item.truncated');
    expect(truncated.audio_end_ms).to.equal(100);
  });

  it('every event both ways matched OpenAI’s schema', async () => {
    const record = await sessionLog(sessionId);
    expect(record.violations).to.deep.equal([]);
    expect(record.events.filter((e) => e.direction === 'client').length).to.be.greaterThan(5);
  });
});
