// Issue 11, item 6: the history kept for replay on reconnect is bounded (turns and characters),
// keeps the newest, and the bounds are configurable.
import { expect } from '@open-wc/testing';
import { next, setup } from '../../test/helpers/manager.js';

async function replayedAfterLoss(
  manager: ReturnType<typeof setup>['manager'],
  transport: ReturnType<typeof setup>['transport'],
) {
  const success = next(manager, 'realtime:reconnect:success');
  transport.loseConnection();
  await success;
  return transport.callsOf('connect').at(-1)!.request.history;
}

describe('Bounded history (issue 11, item 6)', () => {
  it('80,000 finished turns: a reconnect replays only the newest, within the default caps (100 turns, 32,000 characters)', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    for (let i = 0; i < 80_000; i += 1) transport.emit('user:transcript', { text: `turn ${i}`, final: true });
    const history = await replayedAfterLoss(manager, transport);
    expect(history).to.have.length(100);
    expect(history[0]!.text).to.equal('turn 79900');
    expect(history.at(-1)!.text).to.equal('turn 79999');
    expect(history.reduce((sum, turn) => sum + turn.text.length, 0)).to.be.at.most(32_000);
  });

  it('the character cap drops the oldest turns first', async () => {
    const { manager, transport } = setup();
    await manager.startSession();
    for (let i = 0; i < 10; i += 1) transport.emit('user:transcript', { text: `${i}`.repeat(5_000), final: true });
    const history = await replayedAfterLoss(manager, transport);
    expect(history.map((turn) => turn.text[0])).to.deep.equal(['4', '5', '6', '7', '8', '9']);
  });

  it('both caps are configurable; a single turn over the character cap keeps its end', async () => {
    const { manager, transport } = setup({ history: { maxTurns: 3, maxChars: 20 } });
    await manager.startSession();
    await manager.sendMessage('one');
    transport.respond({ text: 'two' });
    transport.emit('user:transcript', { text: 'three', final: true });
    transport.emit('user:transcript', { text: 'four', final: true });
    expect((await replayedAfterLoss(manager, transport)).map((turn) => turn.text)).to.deep.equal(['two', 'three', 'four']);
    transport.emit('user:transcript', { text: 'a long turn that does not fit', final: true });
    expect(await replayedAfterLoss(manager, transport)).to.deep.equal([{ role: 'user', text: 'that does not fit' }]);
  });

  it('maxTurns 0 keeps nothing for replay', async () => {
    const { manager, transport } = setup({ history: { maxTurns: 0 } });
    await manager.startSession();
    transport.emit('user:transcript', { text: 'hello', final: true });
    expect(await replayedAfterLoss(manager, transport)).to.deep.equal([]);
  });

  it('invalid caps are refused at construction with invalid_argument', () => {
    for (const history of [{ maxTurns: -1 }, { maxChars: 1.5 }, { maxTurns: Number.NaN }, { maxChars: '9' as never }]) {
      let error: any;
      try {
        setup({ history });
      } catch (caught) {
        error = caught;
      }
      expect(error?.code, JSON.stringify(history)).to.equal('invalid_argument');
    }
  });
});
