// Issue 11, item 7: whatever ends the assistant's audio, a zero lip-sync level comes right before
// tts:audio:end, and no level arrives after it, so a mouth driven by events closes and stays closed.
import { expect } from '@open-wc/testing';
import type { FakeRealtimeTransport } from '../testing/index.js';
import type { RealtimeManager } from './index.js';
import { flush, setup } from '../../test/helpers/manager.js';

const endings: Array<[string, (manager: RealtimeManager, transport: FakeRealtimeTransport) => unknown]> = [
  ['interrupt()', (manager) => manager.interrupt()],
  ['stopSession()', (manager) => manager.stopSession()],
  ['a connection loss', (_manager, transport) => transport.loseConnection('ice-failed')],
  ['the user barging in', (_manager, transport) => transport.emit('user:speech-start', {})],
  ['the provider ending playback', (_manager, transport) => transport.emit('audio:end', { responseId: 'r1', reason: 'stopped' })],
];

describe('Audio ends with the mouth closed (issue 11, item 7)', () => {
  for (const [label, end] of endings) {
    it(`${label}: a zero level right before tts:audio:end, and no level after it`, async () => {
      const { manager, transport, events } = setup();
      await manager.startSession();
      await manager.sendMessage('hi');
      transport.emit('assistant:start', { responseId: 'r1' });
      transport.emit('audio:start', { responseId: 'r1' });
      transport.emit('lipsync', { level: 0.6 });
      await end(manager, transport);
      // Late frames from the transport's analyser must not reopen the mouth.
      transport.emit('lipsync', { level: 0.5 });
      await flush();
      const names = events
        .filter((e) => e.event === 'tts:lipsync:update' || e.event === 'tts:audio:end')
        .map((e) => (e.event === 'tts:audio:end' ? 'end' : `level ${e.payload.rms}`));
      expect(names).to.deep.equal(['level 0.6', 'level 0', 'end']);
      const order = events.map((e) => e.event);
      expect(order[order.indexOf('tts:audio:end') - 1]).to.equal('tts:lipsync:update');
    });
  }
});
