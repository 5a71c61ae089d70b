// The WebSocket adapter's audio worklets load in a frame written with srcdoc, as in a page of the
// script-tag bundle embedded that way. WebKit refuses a blob: worklet module there as a cross-origin
// load; the kit then loads the same module as a data: URL.
import { expect } from '@open-wc/testing';
import { CAPTURE_PROCESSOR, PLAYBACK_PROCESSOR } from '../../../src/transports/openai-websocket/processors.js';
import { loadProcessors } from '../../../src/transports/openai-websocket/worklet-module.js';

describe('engines: audio worklets in an about:srcdoc frame', () => {
  let frame: HTMLIFrameElement;

  beforeEach(async () => {
    frame = document.createElement('iframe');
    frame.srcdoc = '<!doctype html><title>srcdoc</title>';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
  });

  afterEach(() => frame.remove());

  it('both processors load into the frame’s AudioContext and can be instantiated', async () => {
    const win = frame.contentWindow as Window & typeof globalThis;
    expect(win.location.href).to.equal('about:srcdoc');
    const context = new win.AudioContext();
    try {
      await loadProcessors(context);
      for (const name of [CAPTURE_PROCESSOR, PLAYBACK_PROCESSOR]) {
        const node = new win.AudioWorkletNode(context, name);
        expect(node.numberOfOutputs, name).to.be.at.least(1);
        node.disconnect();
      }
    } finally {
      await context.close();
    }
  });
});
