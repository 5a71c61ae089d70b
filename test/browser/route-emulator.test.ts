import { expect } from '@open-wc/testing';
// @ts-expect-error virtual module served by test/wtr-realtime-server.mjs
import { emulatorUrl, routePath } from '/__charivo/emulator.js';

describe('test harness: route in front of the emulator', () => {
  it('the route answers with a bootstrap whose secret the emulator issued', async () => {
    const response = await fetch(routePath, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ adapter: 'openai-agents-webrtc', transport: 'webrtc', session: { instructions: 'hi' } }),
    });
    expect(response.status).to.equal(200);
    const bootstrap = await response.json();
    expect(bootstrap.clientSecret.value).to.match(/^ek_/);
    expect(bootstrap.callsUrl).to.equal(`${emulatorUrl}/v1/realtime/calls`);
    expect(JSON.stringify(bootstrap)).to.not.contain('sk-emulator');
  });
});
