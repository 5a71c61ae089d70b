import { expect } from '@open-wc/testing';
import { requires } from '../helpers/engine.js';
import { OpenAIRealtimeWebRTC } from '@openai/agents-realtime';
import { callsUrl, EventLog, levelAbove, mintSecret, SET_EXPRESSION_TOOL, sessionLog, silentMicrophone, type WireEvent } from './browser-support.js';

describe('emulator: @openai/agents-realtime OpenAIRealtimeWebRTC in the browser', () => {
  requires('RTCPeerConnection');
  let transport: OpenAIRealtimeWebRTC;
  let microphone: ReturnType<typeof silentMicrophone>;
  let audioElement: HTMLAudioElement;
  const log = new EventLog();
  let sessionId = '';

  before(async () => {
    const secret = await mintSecret({ instructions: 'Emulator test.', tools: [SET_EXPRESSION_TOOL] });
    expect(secret).to.match(/^ek_/);
    microphone = silentMicrophone();
    audioElement = document.createElement('audio');
    audioElement.muted = true;
    document.body.append(audioElement);
    transport = new OpenAIRealtimeWebRTC({ baseUrl: callsUrl, mediaStream: microphone.stream, audioElement });
    transport.on('*', (event: WireEvent) => log.push(event));
    await transport.connect({
      apiKey: secret,
      model: 'gpt-realtime',
      initialSessionConfig: {
        instructions: 'Emulator test.',
        tools: [SET_EXPRESSION_TOOL],
        audio: { input: { turnDetection: null } },
      } as never,
    });
    const created = log.events.find((e) => e.type === 'session.created');
    sessionId = (created?.session as { id: string }).id;
    expect(sessionId).to.match(/^sess_/);
  });

  after(async () => {
    transport?.close();
    audioElement?.remove();
    await microphone?.close();
  });

  it('connects: the session.update from connect() is acknowledged with the full session', async () => {
    expect(transport.status).to.equal('connected');
    expect(transport.callId).to.match(/^rtc_/);
    const updated = log.all('session.updated');
    expect(updated.length).to.be.greaterThan(0);
    const session = updated[0]!.session as { tools: Array<{ name: string }>; audio: { input: { turn_detection: unknown } } };
    expect(session.tools[0]!.name).to.equal('setExpression');
    expect(session.audio.input.turn_detection).to.equal(null);
  });

  it('a text turn streams transcript deltas and speech arrives on the track with a nonzero level', async () => {
    const deltas: string[] = [];
    transport.on('audio_transcript_delta', (event: { delta: string }) => deltas.push(event.delta));
    const stream = audioElement.srcObject as MediaStream;
    expect(stream, 'remote stream attached by the transport').to.be.instanceOf(MediaStream);
    const level = levelAbove(stream, 0.02);
    transport.sendMessage('hello', {});
    await log.next('output_audio_buffer.started');
    expect(await level).to.be.greaterThan(0.02);
    const done = await log.next('response.done');
    expect((done.response as { status: string }).status).to.equal('completed');
    await log.next('output_audio_buffer.stopped');
    expect(deltas.join('')).to.equal('You said "hello". This is the emulator speaking.');
  });

  it('a tool call round-trips: function_call, output, an answer that mentions it', async () => {
    const call = new Promise<{ callId: string; name: string; arguments: string }>((resolve) => transport.once('function_call', resolve));
    transport.sendMessage('call setExpression {"expressionId":"Smile"}', {});
    const toolCall = await call;
    expect(toolCall.name).to.equal('setExpression');
    expect(JSON.parse(toolCall.arguments)).to.deep.equal({ expressionId: 'Smile' });
    await log.next('response.done');
    transport.sendFunctionCallOutput(toolCall as never, '{"ok":true}', true);
    const answer = await log.next('response.output_audio_transcript.done');
    expect(answer.transcript).to.contain('setExpression returned {"ok":true}');
    await log.next('response.done');
  });

  it('interrupt() cancels the response and clears the output buffer', async () => {
    transport.sendMessage('Please answer with something rather long, so that there is time to interrupt you.', {});
    await log.next('response.output_audio_transcript.delta');
    await log.next('output_audio_buffer.started');
    transport.interrupt();
    const done = await log.next('response.done');
    expect((done.response as { status: string }).status).to.equal('cancelled');
    const cleared = await log.next('output_audio_buffer.cleared');
    expect(cleared.response_id).to.equal((done.response as { id: string }).id);
  });

  it('every event both ways matched OpenAI’s schema', async () => {
    const record = await sessionLog(sessionId);
    expect(record.violations).to.deep.equal([]);
    const clientTypes = record.events.filter((e) => e.direction === 'client').map((e) => e.type);
    expect(clientTypes).to.include.members(['session.update', 'conversation.item.create', 'response.create', 'response.cancel', 'output_audio_buffer.clear']);
  });
});
