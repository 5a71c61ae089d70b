// Issue 11, item 2: one published field says exactly when sendMessage() refuses. Attacked with random
// event sequences from a disordered provider, checked after every step by really calling sendMessage.
import { expect } from '@open-wc/testing';
import { randomInt, seededRandom } from '../testing/index.js';
import type { HeldCall } from '../testing/index.js';
import type { RealtimeState } from './index.js';
import { flush, rejection, setup } from '../../test/helpers/manager.js';

/** What sendMessage must do in `state`, from the published fields alone. */
function expectedOutcome(state: RealtimeState): string {
  if (state.session.status !== 'active') return 'session_inactive';
  if (state.connection !== 'connected') return 'reconnecting';
  if (state.busy) return 'response_in_progress';
  return 'accepted';
}

describe('The send lock is published (issue 11, item 2)', () => {
  it('busy is true while a reply is awaited, while it streams and while tool calls are pending', async () => {
    let release!: () => void;
    const { manager, transport } = setup({
      tools: [
        {
          definition: { type: 'function', name: 'slow', parameters: { type: 'object', properties: {} } },
          handler: () => new Promise((resolve) => (release = () => resolve({ ok: true }))),
        },
      ],
    });
    await manager.startSession();
    expect(manager.getState().busy).to.equal(false);
    await manager.sendMessage('hi');
    expect(manager.getState()).to.deep.include({ busy: true, awaitingResponse: true });
    transport.emit('assistant:start', { responseId: 'r1' });
    // Charivo's awaitingResponse would still be true here; ours says what its name says.
    expect(manager.getState()).to.deep.include({ busy: true, awaitingResponse: false });
    expect((await rejection(manager.sendMessage('x'))).code).to.equal('response_in_progress');
    transport.emit('tool:call', { responseId: 'r1', callId: 'c1', name: 'slow', arguments: '{}' });
    transport.emit('assistant:done', { responseId: 'r1', text: '', status: 'completed' });
    expect(manager.getState()).to.deep.include({ busy: true, awaitingResponse: false, pendingToolCalls: 1 });
    expect((await rejection(manager.sendMessage('x'))).code).to.equal('response_in_progress');
    release();
    await flush();
    // The result went back with a response request: a reply is awaited again.
    expect(manager.getState()).to.deep.include({ busy: true, awaitingResponse: true, pendingToolCalls: 0 });
    transport.respond({ responseId: 'r2', text: 'Done.' });
    expect(manager.getState().busy).to.equal(false);
    await manager.sendMessage('next');
  });

  it("Charivo's pattern with busy never meets response_in_progress", async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    const sendNow = async (text: string) => {
      const state = manager.getState();
      if (state.audioPlaying || state.busy) await manager.interrupt();
      await manager.sendMessage(text);
    };
    await sendNow('one');
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Once upon' });
    await sendNow('two');
    transport.emit('assistant:start', { responseId: 'r2' });
    transport.emit('assistant:done', { responseId: 'r2', text: 'ok', status: 'completed' });
    transport.emit('audio:start', { responseId: 'r2' });
    await sendNow('three');
    expect(transport.callsOf('sendText').map((call) => call.text)).to.deep.equal(['one', 'two', 'three']);
  });

  it('after every step of random sequences, sendMessage does exactly what the state says', async function () {
    this.timeout(60_000);
    const SEEDS = 30;
    const STEPS = 50;
    for (let seed = 1; seed <= SEEDS; seed += 1) {
      const random = seededRandom(seed);
      const handlers: Array<() => void> = [];
      const { manager, transport } = setup({
        tools: [
          {
            definition: { type: 'function', name: 'work', parameters: { type: 'object', properties: {} } },
            handler: () => new Promise((resolve) => handlers.push(() => resolve({ ok: true }))),
          },
        ],
      });
      await manager.startSession();
      let held: HeldCall | null = null;
      let callCounter = 0;
      const trace: string[] = [];
      const ids = ['r1', 'r2', 'r3'];
      const id = () => ids[randomInt(random, ids.length)]!;
      const steps: Array<[string, () => unknown]> = [
        ['start', () => transport.emit('assistant:start', { responseId: id() })],
        ['delta', () => transport.emit('assistant:delta', { responseId: id(), delta: 'x' })],
        ['done', () => transport.emit('assistant:done', { responseId: id(), text: '', status: random() < 0.8 ? 'completed' : 'cancelled' })],
        ['tool', () => transport.emit('tool:call', { responseId: id(), callId: `c${++callCounter}`, name: 'work', arguments: '{}' })],
        ['toolNoResponse', () => transport.emit('tool:call', { callId: `c${++callCounter}`, name: 'work', arguments: '{}' })],
        ['release', () => handlers.splice(randomInt(random, handlers.length + 1), 1)[0]?.()],
        ['audioStart', () => transport.emit('audio:start', { responseId: id() })],
        ['audioEnd', () => transport.emit('audio:end', { responseId: id(), reason: 'stopped' })],
        ['speech', () => transport.emit('user:speech-start', {})],
        ['transcript', () => transport.emit('user:transcript', { text: 'spoken', final: true })],
        ['interrupt', () => manager.interrupt().catch(() => {})],
        ['error', () => transport.emit('error', { error: new Error('provider hiccup') })],
        [
          'lose',
          () => {
            if (held) return;
            held = transport.hold('connect');
            transport.loseConnection('ice-failed');
          },
        ],
        [
          'recover',
          () => {
            held?.resolve();
            held = null;
          },
        ],
        ['stopStart', async () => {
          held?.resolve();
          held = null;
          await manager.stopSession();
          await manager.startSession();
        }],
      ];
      for (let step = 0; step < STEPS; step += 1) {
        const [name, act] = steps[randomInt(random, steps.length)]!;
        trace.push(name);
        await act();
        for (const when of ['sync', 'settled']) {
          if (when === 'settled') await flush();
          const state = manager.getState();
          const expected = expectedOutcome(state);
          const outcome = await manager.sendMessage('probe').then(
            () => 'accepted',
            (error: { code?: string }) => error.code ?? String(error),
          );
          expect(outcome, `seed ${seed}, step ${step} (${when}) after ${trace.join(' ')}: ${JSON.stringify(state)}`).to.equal(expected);
          trace.push(`probe:${outcome}`);
        }
      }
      held = null;
      await manager.dispose();
    }
  });
});
