// Runs inside the throwaway app (copied there by packed.test.mjs), under each Node version the package
// claims, against the emulator the app started from its installed bin. Imports come from the app's
// node_modules only: the installed package, `ws` and `@roamhq/wrtc`.
//
//   node app-smoke.mjs <emulator url> <entry specifiers as JSON>
//
// It imports every entry, mints bootstraps through the package's route (the emulator behind it), and
// holds one conversation turn over WebSocket and opens one WebRTC call (a Node peer from @roamhq/wrtc),
// then prints one JSON line of what it saw.
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';

const [emulatorUrl, entriesJson] = process.argv.slice(2);
const entries = JSON.parse(entriesJson);
const deadline = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms).unref());

const imported = {};
for (const specifier of entries) {
  const module = await import(specifier);
  imported[specifier] = Object.keys(module).length;
}

const { createOpenAIRealtimeProvider, createRealtimeRoute } = await import('charivo-elements/server');
const route = createRealtimeRoute({
  provider: createOpenAIRealtimeProvider({ apiKey: 'sk-emulator', baseUrl: `${emulatorUrl}/v1` }),
});

/** A bootstrap from the route, as the browser would ask for it. */
async function mint(body) {
  const response = await route(
    new Request('http://app.test/api/realtime', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  );
  const json = await response.json();
  if (response.status !== 200) throw new Error(`route answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** One text turn over the WebSocket adapter's bootstrap: the emulator's reply transcript. */
async function websocketTurn() {
  const bootstrap = await mint({ adapter: 'openai-websocket', session: { outputModalities: ['text'] } });
  const socket = new WebSocket(bootstrap.url, ['realtime', `openai-insecure-api-key.${bootstrap.clientSecret.value}`]);
  let text = '';
  const done = new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('message', (data) => {
      const event = JSON.parse(String(data));
      if (event.type === 'session.created') {
        socket.send(JSON.stringify({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `hello from Node ${process.version}` }] } }));
        socket.send(JSON.stringify({ type: 'response.create' }));
      }
      if (event.type === 'response.output_text.delta' || event.type === 'response.output_audio_transcript.delta') text += event.delta;
      if (event.type === 'error') reject(new Error(`emulator error: ${JSON.stringify(event.error)}`));
      if (event.type === 'response.done') resolve(text);
    });
  });
  try {
    return await Promise.race([done, deadline(15_000, 'WebSocket turn')]);
  } finally {
    socket.close();
  }
}

/** One WebRTC call through the unified adapter's bootstrap: the first server event on `oai-events`. */
async function webrtcCall() {
  const pc = new wrtc.RTCPeerConnection();
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  pc.addTrack(track, new wrtc.MediaStream([track]));
  const channel = pc.createDataChannel('oai-events');
  const firstEvent = new Promise((resolve) => channel.addEventListener('message', (message) => resolve(JSON.parse(message.data).type), { once: true }));
  try {
    await pc.setLocalDescription(await pc.createOffer());
    const bootstrap = await mint({ adapter: 'openai-webrtc', sdp: pc.localDescription.sdp });
    await pc.setRemoteDescription({ type: 'answer', sdp: bootstrap.answerSdp });
    return await Promise.race([firstEvent, deadline(15_000, 'WebRTC data channel')]);
  } finally {
    track.stop();
    pc.close();
  }
}

const transcript = await websocketTurn();
const webrtcFirstEvent = await webrtcCall();
console.log(JSON.stringify({ node: process.version, imported, transcript, webrtcFirstEvent }));
process.exit(0);
