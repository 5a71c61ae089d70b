// Show it a picture: every kind of source the page may hold is read, scaled to the bounds and encoded
// under maxBytes, sent as an image turn and answered; bad input gets a clear error and sends nothing.
import { expect } from '@open-wc/testing';
import { next, rejection, setup } from '../../test/helpers/manager.js';

function canvas(width: number, height: number, noisy = false): HTMLCanvasElement {
  const element = document.createElement('canvas');
  element.width = width;
  element.height = height;
  const context = element.getContext('2d')!;
  context.fillStyle = '#3366cc';
  context.fillRect(0, 0, width, height);
  if (noisy) {
    // Noise compresses badly: the encoder has to work to meet a small byte bound.
    const data = context.getImageData(0, 0, width, height);
    let seed = 7;
    for (let i = 0; i < data.data.length; i += 1) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      if (i % 4 !== 3) data.data[i] = seed & 0xff;
    }
    context.putImageData(data, 0, 0);
  }
  return element;
}

/** The size a data URL's image decodes to, read back by the browser. */
async function decodedSize(dataUrl: string): Promise<[number, number]> {
  const bitmap = await createImageBitmap(await (await fetch(dataUrl)).blob());
  return [bitmap.width, bitmap.height];
}

describe('sendImage', () => {
  it('a canvas: scaled to maxEdge, sent as JPEG with its text, then a reply is asked for', async () => {
    const { manager, transport, named } = setup({ images: { maxEdge: 256 } });
    await manager.startSession();
    const sent = next(manager, 'realtime:user:image');
    const info = await manager.sendImage(canvas(800, 400), 'what is this?');
    expect(info).to.deep.include({ width: 256, height: 128, type: 'image/jpeg' });
    const [call] = transport.callsOf('sendImage');
    expect(call!.text).to.equal('what is this?');
    expect(call!.image.dataUrl.startsWith('data:image/jpeg;base64,')).to.equal(true);
    expect(await decodedSize(call!.image.dataUrl)).to.deep.equal([256, 128]);
    expect(info.bytes).to.be.greaterThan(0).and.at.most(180_000);
    expect((await sent).image).to.deep.equal(info);
    expect(manager.getState().awaitingResponse).to.equal(true);
    transport.respond({ responseId: 'r1', text: 'a blue rectangle' });
    expect(named('realtime:assistant:done')[0].text).to.equal('a blue rectangle');
    expect(manager.getMetrics().last!.trigger).to.equal('image');
  });

  it('every kind of source: Blob, <img>, ImageBitmap, OffscreenCanvas, <video> frame, VideoFrame, ImageData', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    const source = canvas(40, 30);
    const blob = await new Promise<Blob>((resolve) => source.toBlob((b) => resolve(b!), 'image/png'));
    const img = new Image();
    img.src = URL.createObjectURL(blob);
    const offscreen = new OffscreenCanvas(40, 30);
    offscreen.getContext('2d')!.fillRect(0, 0, 40, 30);
    const video = document.createElement('video');
    video.muted = true;
    const captured = source.captureStream(0);
    const track = captured.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
    video.srcObject = new MediaStream([track]);
    const loaded = new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }));
    void video.play();
    // A captured canvas sends a frame when asked to.
    source.getContext('2d')!.fillRect(0, 0, 1, 1);
    // Chromium and WebKit ask the track for it; Firefox asks the stream (its CanvasCaptureMediaStream).
    if (typeof track.requestFrame === 'function') track.requestFrame();
    else (captured as MediaStream & { requestFrame(): void }).requestFrame();
    await loaded;
    const sources: unknown[] = [
      blob,
      img,
      await createImageBitmap(source),
      offscreen,
      video,
      new VideoFrame(source, { timestamp: 0 }),
      source.getContext('2d')!.getImageData(0, 0, 40, 30),
    ];
    for (const [index, item] of sources.entries()) {
      const info = await manager.sendImage(item as never);
      expect([info.width, info.height], `source #${index}`).to.deep.equal([40, 30]);
      transport.respond({ responseId: `r${index}` });
    }
    expect(transport.callsOf('sendImage')).to.have.length(sources.length);
    video.pause();
    URL.revokeObjectURL(img.src);
  });

  it('brings a noisy image under maxBytes (quality first, then size), or refuses with image_too_large', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    const info = await manager.sendImage(canvas(1024, 1024, true), undefined, { maxBytes: 30_000 });
    expect(info.bytes).to.be.at.most(30_000);
    expect(transport.callsOf('sendImage')[0]!.image.dataUrl.length).to.be.lessThan(30_000 * 1.4);
    transport.respond({ responseId: 'r1' });
    const png = await rejection(manager.sendImage(canvas(512, 512, true), undefined, { format: 'image/png', maxBytes: 200, maxEdge: 16 }));
    expect(png.code).to.equal('image_too_large');
    expect(transport.callsOf('sendImage')).to.have.length(1);
  });

  it('PNG when asked, with detail on the wire', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    const info = await manager.sendImage(canvas(10, 10), 'tiny', { format: 'image/png', detail: 'low' });
    expect(info).to.deep.include({ type: 'image/png', detail: 'low' });
    expect(transport.callsOf('sendImage')[0]!.image).to.deep.include({ detail: 'low', width: 10, height: 10 });
    expect(transport.callsOf('sendImage')[0]!.image.dataUrl.startsWith('data:image/png;base64,')).to.equal(true);
  });

  it('clear errors for bad input; nothing is sent', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    const cases: Array<[unknown, string, string?]> = [
      ['not an image', 'invalid_image'],
      [new Blob([]), 'invalid_image'],
      [new Blob(['hello'], { type: 'text/plain' }), 'invalid_image'],
      [new Blob(['not really a png'], { type: 'image/png' }), 'invalid_image'],
      [canvas(0, 10), 'invalid_image'],
      [document.createElement('video'), 'invalid_image'],
      [Object.assign(new Image(), { src: 'data:image/png;base64,AAAA' }), 'invalid_image'],
      [canvas(10, 10), 'invalid_argument', ''],
    ];
    for (const [source, code, text] of cases) {
      const error = await rejection(manager.sendImage(source as never, text as never));
      expect(error.code, String(error.message)).to.equal(code);
    }
    expect((await rejection(manager.sendImage(canvas(10, 10), undefined, { maxEdge: 3 }))).code).to.equal('invalid_argument');
    expect((await rejection(manager.sendImage(canvas(10, 10), undefined, { quality: 2 }))).code).to.equal('invalid_argument');
    expect(transport.callsOf('sendImage')).to.have.length(0);
  });

  it('refused while a reply is outstanding or without a session; a failed send leaves no turn behind', async () => {
    const { manager, transport } = setup();
    expect((await rejection(manager.sendImage(canvas(4, 4)))).code).to.equal('session_inactive');
    await manager.startSession();
    await manager.sendMessage('busy now');
    expect((await rejection(manager.sendImage(canvas(4, 4)))).code).to.equal('response_in_progress');
    transport.respond({ responseId: 'r1', text: 'ok' });
    transport.failNext('sendImage', new Error('wire broke'));
    expect((await rejection(manager.sendImage(canvas(4, 4), 'look'))).code).to.equal('transport_error');
    expect(manager.getState().busy).to.equal(false);
    // The history a reconnect would replay has no trace of the image that never went out.
    const held = transport.hold('connect');
    transport.loseConnection();
    await held.reached;
    held.resolve();
    await next(manager, 'realtime:reconnect:success');
    expect(transport.callsOf('connect').at(-1)!.request.history).to.deep.equal([
      { role: 'user', text: 'busy now' },
      { role: 'assistant', text: 'ok' },
    ]);
  });
});
