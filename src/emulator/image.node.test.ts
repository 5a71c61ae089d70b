// Images a client sends (`input_image`): the emulator reads each one's format and size from its header
// and the scripted assistant says what it saw, so an image path is tested end to end; bad images get
// OpenAI-style errors, and usage counts image tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { startRealtimeEmulator, type RealtimeEmulator } from './index.js';
import { imageTokens, readImageDataUrl } from './image-info.js';
import { openSocket, type SocketClient } from './test-support.node.js';

/** A real PNG of `width`×`height` (grey pixels), built by hand. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y += 1) rows[y * (width + 1)] = 0; // filter: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The header of a baseline JPEG (SOI, APP0, SOF0): enough for its size to be read. */
function jpegHeader(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

const dataUrl = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

describe('emulator images', () => {
  let emulator: RealtimeEmulator;
  let client: SocketClient;
  let id: string;
  before(async () => {
    emulator = await startRealtimeEmulator({ validate: true, scenario: { msPerChar: 5 } });
    client = await openSocket(emulator);
    const created = await client.stream.next('session.created');
    id = (created.session as { id: string }).id;
    client.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'] } });
    await client.stream.next('session.updated');
  });
  after(async () => {
    client.close();
    await emulator.close();
  });

  test('reads the size of PNG and JPEG data URLs, and refuses what is not one', () => {
    assert.deepEqual(readImageDataUrl(dataUrl('image/png', png(3, 2))), { type: 'image/png', width: 3, height: 2, bytes: png(3, 2).length });
    assert.deepEqual(readImageDataUrl(dataUrl('image/jpeg', jpegHeader(640, 480))), { type: 'image/jpeg', width: 640, height: 480, bytes: jpegHeader(640, 480).length });
    assert.ok('error' in readImageDataUrl('https://example.com/cat.png'));
    assert.ok('error' in readImageDataUrl(dataUrl('image/gif', png(1, 1))));
    assert.ok('error' in readImageDataUrl(dataUrl('image/png', jpegHeader(1, 1))), 'a JPEG labelled PNG');
    assert.ok('error' in readImageDataUrl('data:image/png;base64,not base64!'));
    assert.equal(imageTokens({ width: 512, height: 512 }), 255);
    assert.equal(imageTokens({ width: 1024, height: 600 }), 765);
  });

  test('an image with a question: the assistant says what it saw, and usage counts the image', async () => {
    const image = png(64, 48);
    client.send({
      type: 'conversation.item.create',
      event_id: 'evt_image',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'what is this?' }, { type: 'input_image', image_url: dataUrl('image/png', image), detail: 'low' }] },
    });
    const added = await client.stream.next('conversation.item.added');
    assert.equal(((added.item as any).content[1] as { type: string }).type, 'input_image');
    client.send({ type: 'response.create' });
    const done = await client.stream.next('response.done');
    const response = done.response as any;
    assert.equal(response.output[0].content[0].text, 'I see an image of 64×48 and you said "what is this?". This is the emulator speaking.');
    assert.equal(response.usage.input_token_details.image_tokens, 255);
    assert.deepEqual(emulator.violations(id), []);
  });

  test('an image alone, and two images', async () => {
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: dataUrl('image/jpeg', jpegHeader(800, 600)) }] } });
    client.send({ type: 'response.create' });
    let done = await client.stream.next('response.done');
    assert.equal((done.response as any).output[0].content[0].text, 'I see an image of 800×600. This is the emulator speaking.');
    client.send({
      type: 'conversation.item.create',
      item: {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_image', image_url: dataUrl('image/png', png(2, 2)) },
          { type: 'input_image', image_url: dataUrl('image/png', png(5, 1)) },
        ],
      },
    });
    client.send({ type: 'response.create' });
    done = await client.stream.next('response.done');
    assert.equal((done.response as any).output[0].content[0].text, 'I see 2 images (2×2, 5×1). This is the emulator speaking.');
  });

  test('a bad image is refused with invalid_value naming the part; a missing image_url with missing_required_parameter', async () => {
    client.send({
      type: 'conversation.item.create',
      event_id: 'evt_bad',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'look' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA' }] },
    });
    let error = await client.stream.next('error');
    assert.deepEqual(
      { code: (error.error as any).code, param: (error.error as any).param, event_id: (error.error as any).event_id },
      { code: 'invalid_value', param: 'item.content[1].image_url', event_id: 'evt_bad' },
    );
    client.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_image' }] } });
    error = await client.stream.next('error');
    assert.equal((error.error as any).code, 'missing_required_parameter');
    assert.equal((error.error as any).param, 'item.content[0].image_url');
  });
});
