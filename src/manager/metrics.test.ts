// Latency and cost, measured in the kit, on the manager's clock: each turn from the end of the user's
// part (text sent, speech stopped, push-to-talk released, tool results sent) to the first audio, the
// first text and the end; tokens by kind from the provider's usage; the cost from the page's prices;
// connects timed.
import { expect } from '@open-wc/testing';
import { rejection, setup } from '../../test/helpers/manager.js';

/** A clock the test moves. */
function clock(start = 1000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const USAGE = {
  totalTokens: 1300,
  inputTokens: 300,
  outputTokens: 1000,
  details: {
    input_token_details: { text_tokens: 100, audio_tokens: 150, image_tokens: 50, cached_tokens: 40, cached_tokens_details: { text_tokens: 40, audio_tokens: 0, image_tokens: 0 } },
    output_token_details: { text_tokens: 200, audio_tokens: 800 },
  },
};

const PRICES = { 'gpt-realtime': { textInput: 4, cachedTextInput: 0.4, textOutput: 16, audioInput: 32, cachedAudioInput: 0.4, audioOutput: 64, imageInput: 5 } };

describe('metrics', () => {
  it('a typed turn: first audio, first text and done from the moment the text was sent; tokens by kind; cost', async () => {
    const time = clock();
    const { manager, transport, named } = setup({ now: time.now, prices: PRICES });
    time.advance(10);
    await manager.startSession({ model: 'gpt-realtime' });
    await manager.sendMessage('hello');
    time.advance(120);
    transport.emit('assistant:start', { responseId: 'r1' });
    time.advance(80);
    transport.emit('audio:start', { responseId: 'r1' });
    time.advance(20);
    transport.emit('assistant:delta', { responseId: 'r1', delta: 'Hi' });
    time.advance(700);
    transport.emit('usage', { responseId: 'r1', usage: USAGE });
    transport.emit('assistant:done', { responseId: 'r1', text: 'Hi', status: 'completed' });
    const turn = manager.getMetrics().last!;
    expect(turn).to.deep.include({ responseId: 'r1', trigger: 'text', firstAudioMs: 200, firstTextMs: 220, doneMs: 920, status: 'completed', model: 'gpt-realtime' });
    expect(turn.tokens).to.deep.include({ inputText: 100, inputAudio: 150, inputImage: 50, cachedText: 40, outputText: 200, outputAudio: 800, input: 300, output: 1000, total: 1300 });
    // 60 text at $4 + 40 cached at $0.4 + 150 audio at $32 + 50 image at $5 + 200 text out at $16 + 800 audio out at $64, per million
    const expected = (60 * 4 + 40 * 0.4 + 150 * 32 + 50 * 5 + 200 * 16 + 800 * 64) / 1e6;
    expect(turn.costUsd).to.be.closeTo(expected, 1e-12);
    const metrics = manager.getMetrics();
    expect(metrics.totals.turns).to.equal(1);
    expect(metrics.totals.costUsd).to.be.closeTo(expected, 1e-12);
    expect(metrics.connects).to.deep.equal([{ reason: 'start', ms: 0 }]);
    const events = named('realtime:metrics');
    expect(events.map((e) => (e.turn ? 'turn' : 'connect'))).to.deep.equal(['connect', 'turn']);
    expect(events[1].turn).to.equal(turn);
    expect(Object.isFrozen(metrics) && Object.isFrozen(metrics.turns) && Object.isFrozen(turn)).to.equal(true);
  });

  it('a spoken turn counts from the provider deciding the speech ended; a tool round trip is two turns', async () => {
    const time = clock();
    const { manager, transport } = setup({ now: time.now });
    await manager.startSession();
    transport.emit('user:speech-start', {});
    time.advance(1500);
    transport.emit('user:speech-stop', {});
    time.advance(300);
    transport.emit('assistant:start', { responseId: 'r1' });
    transport.emit('assistant:done', { responseId: 'r1', text: '', status: 'completed' });
    expect(manager.getMetrics().last).to.deep.include({ trigger: 'speech', doneMs: 300 });
    expect(manager.getMetrics().last!.firstAudioMs).to.equal(undefined);
  });

  it('a response the provider starts on its own has no latency, only its tokens', async () => {
    const time = clock();
    const { manager, transport } = setup({ now: time.now });
    await manager.startSession();
    transport.respond({ responseId: 'greet', text: 'Hello there', usage: { inputTokens: 5, outputTokens: 7 } });
    const turn = manager.getMetrics().last!;
    expect(turn.trigger).to.equal('provider');
    expect(turn.doneMs).to.equal(undefined);
    expect(turn.startedAt).to.equal(undefined);
    // No details: all input counts as text, all output as text.
    expect(turn.tokens).to.deep.include({ inputText: 5, outputText: 7, total: 12 });
    expect(turn.costUsd, 'no prices, no cost').to.equal(undefined);
  });

  it('an interrupted reply is a turn with status interrupted; a failed send starts no turn', async () => {
    const time = clock();
    const { manager, transport } = setup({ now: time.now });
    await manager.startSession();
    transport.failNext('sendText');
    await rejection(manager.sendMessage('lost'));
    transport.emit('assistant:start', { responseId: 'r0' });
    transport.emit('assistant:done', { responseId: 'r0', text: '', status: 'completed' });
    expect(manager.getMetrics().last!.trigger, 'the failed send did not claim the next response').to.equal('provider');
    await manager.sendMessage('again');
    transport.emit('assistant:start', { responseId: 'r1' });
    time.advance(50);
    await manager.interrupt();
    expect(manager.getMetrics().last).to.deep.include({ responseId: 'r1', trigger: 'text', status: 'interrupted', doneMs: 50 });
  });

  it('prices can be set later, and bad prices are refused with invalid_argument', async () => {
    const { manager, transport } = setup();
    await manager.startSession({ model: 'other-model' });
    manager.setPrices({ '*': { textInput: 1, textOutput: 2, audioInput: 3, audioOutput: 4 } });
    transport.respond({ responseId: 'r1', usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 } });
    expect(manager.getMetrics().last!.costUsd).to.equal(3);
    expect(() => manager.setPrices({ m: { textInput: -1, textOutput: 1, audioInput: 1, audioOutput: 1 } })).to.throw().with.property('code', 'invalid_argument');
    expect(() => manager.setPrices({ m: { textInput: 1 } } as never)).to.throw(/textOutput/);
    manager.setPrices(null);
    transport.respond({ responseId: 'r2', usage: { inputTokens: 1, outputTokens: 1 } });
    expect(manager.getMetrics().last!.costUsd).to.equal(undefined);
  });

  it('a new session starts its metrics over; reconnects are timed', async () => {
    const time = clock();
    const { manager, transport } = setup({ now: time.now });
    await manager.startSession();
    transport.respond({ responseId: 'r1' });
    await manager.stopSession();
    await manager.startSession();
    expect(manager.getMetrics().turns).to.deep.equal([]);
    const held = transport.hold('connect');
    transport.loseConnection();
    await held.reached;
    time.advance(250);
    held.resolve();
    await new Promise<void>((resolve) => manager.on('realtime:reconnect:success', () => resolve()));
    expect(manager.getMetrics().connects.map((c) => [c.reason, c.ms])).to.deep.equal([
      ['start', 0],
      ['reconnect', 250],
    ]);
  });
});
