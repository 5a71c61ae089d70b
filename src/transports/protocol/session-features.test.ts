// The protocol client's part in issue 14: an image is one user message (`input_text` then
// `input_image`; schema validity is checked end to end, test/e2e/features/images.test.ts) and a response request, refused before sending when it exceeds the
// channel's message bound; a prepared connection takes the shared output path only when it takes over;
// the provider's end of speech is a transport event; microphone failures map to statuses.
import { expect } from '@open-wc/testing';
import { AudioDeviceError } from '../audio/errors.js';
import { microphoneStatusFor } from '../audio/microphone-fallback.js';
import type { OutputAudioHost, OutputAudioPath } from './output-audio.js';
import { RealtimeProtocolClient } from './protocol-client.js';
import { OpenAIServerEventMapper, type TransportEmission } from './server-events.js';

const IMAGE = { dataUrl: 'data:image/png;base64,iVBORw0KGgo=', width: 1, height: 1 };

function setup(audio?: OutputAudioPath) {
  const sent: any[] = [];
  const emitted: TransportEmission[] = [];
  const client = new RealtimeProtocolClient({
    channel: { send: (data: string) => void sent.push(JSON.parse(data)) },
    ...(audio ? { audio } : {}),
    sessionUpdateTimeoutMs: 1000,
    emit: (e) => emitted.push(e),
  });
  return { client, sent, emitted };
}

describe('protocol client: images, hand-over, speech end', () => {
  it('sendImage: one user message with the text first, then a response request', () => {
    const { client, sent } = setup();
    client.sendImage({ ...IMAGE, detail: 'high' }, { text: 'what is it?' });
    expect(sent.map((e) => e.type)).to.deep.equal(['conversation.item.create', 'response.create']);
    expect(sent[0].item).to.deep.equal({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'what is it?' },
        { type: 'input_image', image_url: IMAGE.dataUrl, detail: 'high' },
      ],
    });
    client.sendImage(IMAGE, { requestResponse: false });
    expect(sent.at(-1).item.content).to.deep.equal([{ type: 'input_image', image_url: IMAGE.dataUrl }]);
  });

  it('an event over the channel’s message bound is refused with message_too_large and nothing is sent', () => {
    const { client, sent } = setup();
    const big = { ...IMAGE, dataUrl: `data:image/png;base64,${'A'.repeat(5000)}` };
    expect(() => client.sendImage(big, { maxEventBytes: 4096 })).to.throw().with.property('code', 'message_too_large');
    expect(sent).to.deep.equal([]);
    // Bytes, not characters: text outside ASCII counts as what the channel carries.
    expect(() => client.sendImage(IMAGE, { text: 'é'.repeat(2100), maxEventBytes: 4096 })).to.throw().with.property('code', 'message_too_large');
    client.sendImage(IMAGE, { maxEventBytes: 4096 });
    expect(sent).to.have.length(2);
  });

  it('a client prepared without an output path takes one only when it takes over', () => {
    const attached: OutputAudioHost[] = [];
    let detached = 0;
    const path: OutputAudioPath = {
      attach: (host) => void attached.push(host),
      receive: () => undefined,
      playing: false,
      interrupt: async () => {},
      detach: () => void (detached += 1),
    };
    const { client } = setup();
    expect(attached).to.have.length(0);
    client.adoptAudio(path);
    client.adoptAudio(path);
    expect(attached).to.have.length(1);
    client.close();
    expect(detached).to.equal(1);
    client.adoptAudio(path);
    expect(attached, 'a closed client takes nothing').to.have.length(1);
  });

  it('maps speech_stopped to user:speech-stop', () => {
    const mapper = new OpenAIServerEventMapper();
    expect(mapper.map({ type: 'input_audio_buffer.speech_stopped', item_id: 'i1', audio_end_ms: 900 })).to.deep.equal([
      { name: 'user:speech-stop', payload: { itemId: 'i1' } },
    ]);
  });

  it('microphone failures a session can live without map to statuses; others do not', () => {
    expect(microphoneStatusFor(new AudioDeviceError('microphone_permission_denied', 'x'))).to.equal('denied');
    expect(microphoneStatusFor(new AudioDeviceError('microphone_not_found', 'x'))).to.equal('absent');
    expect(microphoneStatusFor(new AudioDeviceError('microphone_unsupported', 'x'))).to.equal('absent');
    expect(microphoneStatusFor(new AudioDeviceError('microphone_busy', 'x'))).to.equal('unavailable');
    expect(microphoneStatusFor(new AudioDeviceError('audio_unavailable', 'x'))).to.equal(null);
    expect(microphoneStatusFor(new Error('other'))).to.equal(null);
  });
});
