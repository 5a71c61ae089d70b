// Show it a picture (issue 14, item 7), end to end on every adapter: a canvas and an image file go
// through sendImage(), are scaled and compressed to the page's bounds, travel as `input_image` user
// messages (data URLs, schema-valid), and the emulator, reading each one's header, answers with the
// size it received; its usage counts the image. An image too large for a WebRTC data channel message is
// refused before anything is sent, and goes through over WebSocket.
import { expect } from '@open-wc/testing';
import { ADAPTERS, emulator, harness, logEvents, recordPeerConnections, waitFor, type Harness } from './helpers.js';
import { needsOf, requires } from '../../helpers/engine.js';

function canvas(width: number, height: number, noisy = false): HTMLCanvasElement {
  const element = document.createElement('canvas');
  element.width = width;
  element.height = height;
  const context = element.getContext('2d')!;
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, '#ff8800');
  gradient.addColorStop(1, '#0044ff');
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  if (noisy) {
    const data = context.getImageData(0, 0, width, height);
    let seed = 11;
    for (let i = 0; i < data.data.length; i += 1) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      // The high bits: an LCG's low byte repeats every 256 steps, which Firefox's PNG encoder packs
      // down to half a megabyte (the picture must not compress, in any engine).
      if (i % 4 !== 3) data.data[i] = (seed >> 16) & 0xff;
    }
    context.putImageData(data, 0, 0);
  }
  return element;
}

for (const adapter of ADAPTERS) {
  describe(`e2e images: ${adapter}`, function () {
    requires(...needsOf(adapter));
    this.timeout(30_000);
    let h: Harness | undefined;
    let peers: ReturnType<typeof recordPeerConnections> | undefined;
    afterEach(async () => {
      peers?.stop();
      await h?.dispose();
      h = undefined;
    });

    it('a canvas and a PNG file: scaled, sent as input_image, acknowledged by size, counted in usage', async () => {
      const since = Date.now();
      h = harness(adapter, { rollover: false });
      await h.client.prepareAudio();
      h.manager.setMuted(true);
      await h.manager.startSession({ instructions: 'Images test.', turnDetection: null, outputModalities: ['text'] });

      let reply = waitFor(h.manager, 'realtime:assistant:done');
      const info = await h.manager.sendImage(canvas(2000, 1000), 'what is in this picture?');
      expect(info).to.deep.include({ width: 1024, height: 512, type: 'image/jpeg' });
      expect((await reply).text).to.equal('I see an image of 1024×512 and you said "what is in this picture?". This is the emulator speaking.');
      expect(h.manager.getMetrics().last).to.deep.include({ trigger: 'image' });
      expect(h.manager.getMetrics().last!.tokens!.inputImage, 'two 512 px tiles').to.equal(425);

      const file = await new Promise<Blob>((resolve) => canvas(300, 200).toBlob((blob) => resolve(blob!), 'image/png'));
      reply = waitFor(h.manager, 'realtime:assistant:done');
      await h.manager.sendImage(new File([file], 'photo.png', { type: 'image/png' }), undefined, { format: 'image/png', detail: 'low' });
      expect((await reply).text).to.equal('I see an image of 300×200. This is the emulator speaking.');

      const [session] = await emulator.sessionsSince(since);
      const log = await emulator.log(session!.id);
      const images = logEvents(log, 'client', 'conversation.item.create')
        .map((e) => e.event.item)
        .filter((item) => item.content.some((part: { type: string }) => part.type === 'input_image'));
      expect(images.map((item) => item.content.map((part: { type: string }) => part.type))).to.deep.equal([['input_text', 'input_image'], ['input_image']]);
      expect(images[0].content[1].image_url).to.match(/^data:image\/jpeg;base64,/);
      expect(images[1].content[0]).to.deep.include({ detail: 'low' });
      expect(images[1].content[0].image_url).to.match(/^data:image\/png;base64,/);
      expect(await emulator.violationsOf([session!.id]), 'schema-valid on the wire').to.deep.equal([]);
    });

    it('an image larger than one message of the connection carries', async () => {
      peers = recordPeerConnections();
      const since = Date.now();
      h = harness(adapter, { rollover: false });
      await h.client.prepareAudio();
      await h.manager.startSession({ instructions: 'Images test.', turnDetection: null, outputModalities: ['text'] });
      // Noise at full size in PNG: well over a megabyte, far over a data channel message.
      const big = canvas(1024, 1024, true);
      const bounds = { format: 'image/png' as const, maxBytes: 8_000_000 };
      if (adapter === 'openai-websocket') {
        const reply = waitFor(h.manager, 'realtime:assistant:done');
        const info = await h.manager.sendImage(big, undefined, bounds);
        expect(info.bytes).to.be.greaterThan(1_000_000);
        expect((await reply).text).to.equal('I see an image of 1024×1024. This is the emulator speaking.');
      } else {
        const limit = peers.live()!.sctp!.maxMessageSize;
        expect(limit).to.be.lessThan(1_000_000);
        const error = await h.manager.sendImage(big, undefined, bounds).then(
          () => null,
          (e: Error & { code?: string; cause?: { code?: string } }) => e,
        );
        expect(error?.code).to.equal('transport_error');
        expect(error?.cause?.code).to.equal('message_too_large');
        expect(h.manager.getState()).to.deep.include({ busy: false, connection: 'connected' });
        // The session goes on; the default bounds fit a message (noise compresses so badly that even
        // the lowest quality needs a smaller picture: the kit shrinks it until it fits).
        const reply = waitFor(h.manager, 'realtime:assistant:done');
        const info = await h.manager.sendImage(big);
        expect(info.bytes).to.be.at.most(180_000);
        expect(info.width).to.be.lessThan(1024);
        expect((await reply).text).to.equal(`I see an image of ${info.width}×${info.height}. This is the emulator speaking.`);
      }
      const [session] = await emulator.sessionsSince(since);
      expect(await emulator.violationsOf([session!.id])).to.deep.equal([]);
    });
  });
}
