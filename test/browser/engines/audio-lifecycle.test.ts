// Audio the way engines differ on it, handled by the kit rather than the page:
// - the AudioContext is created and resumed inside the user's click (Firefox and WebKit create contexts
//   suspended; Safari only lets a gesture resume them), by <charivo-controls> or by one call of a page's
//   own button to prepareAudio();
// - every session gets a fresh AudioContext and a fresh microphone track (a context or track kept from
//   the last session is where "silent on the second call" bugs live), on every adapter the engine runs;
// - a reply keeps playing after the page was in the background (Safari suspends the context there) and
//   came back, and where resuming needs a gesture the next click anywhere brings it back.
import { expect } from '@open-wc/testing';
import { avoidEngineBug, needsOf, requires } from '../../helpers/engine.js';
import {
  contextMark,
  contextState,
  control,
  deviceTracks,
  installCensus,
  kitContexts,
  mountSession,
  nextEvent,
  realClick,
  restoreVisibility,
  setVisibility,
  startedInClick,
  trackMark,
  untilFrames,
} from './support.js';

installCensus();

const frames = (n = 2) =>
  new Promise<void>((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
    step(n);
  });

describe('engines: the AudioContext starts inside the user gesture', () => {
  it('<charivo-controls> Start, clicked for real: the context is created and resumed inside the click, and runs', async () => {
    const { el, controls, remove } = await mountSession({ adapter: 'openai-websocket' });
    try {
      const mark = contextMark();
      const started = nextEvent(el, 'charivo-session-start');
      await realClick(control(controls, 'start'));
      await started;
      const [record, ...more] = kitContexts(mark);
      expect(more, 'one context for the session').to.have.length(0);
      expect(record, 'the kit created a context').to.not.equal(undefined);
      expect(record!.inClick, 'created while the click was dispatched').to.equal(true);
      expect(record!.activation, 'with the user activation of that click').to.not.equal(false);
      expect(startedInClick(record!), `resumed inside the click (created ${record!.initialState})`).to.equal(true);
      await contextState(record!.context, 'running');
    } finally {
      await remove();
    }
  });

  it('a page’s own button calls prepareAudio() first, awaits something, then start(): the context made in the click runs the session', async () => {
    const { el, remove } = await mountSession({ adapter: 'openai-websocket' });
    const button = document.createElement('button');
    button.textContent = 'Talk to us';
    document.body.append(button);
    let starting: Promise<void> = Promise.resolve();
    button.addEventListener('click', () => {
      void el.prepareAudio();
      // Anything asynchronous before start(): by then the gesture is over.
      starting = new Promise((resolve) => setTimeout(resolve, 30)).then(() => el.start());
    });
    try {
      const mark = contextMark();
      await realClick(button);
      await starting;
      const records = kitContexts(mark);
      expect(records, 'one context, the one prepareAudio() made').to.have.length(1);
      expect(startedInClick(records[0]!), `created and resumed inside the click (created ${records[0]!.initialState})`).to.equal(true);
      await contextState(records[0]!.context, 'running');
      expect(el.getAttribute('connection')).to.equal('connected');
    } finally {
      button.remove();
      await remove();
    }
  });
});

describe('engines: a fresh AudioContext and microphone track for every session', () => {
  for (const adapter of ['openai-websocket', 'openai-agents-webrtc', 'openai-webrtc']) {
    describe(adapter, () => {
      requires(...needsOf(adapter));

      it('start, stop, start: the second session has its own running context and live track; the first’s are closed and ended', async () => {
        // The engine's own fake device: the kit opens (and must stop) its tracks.
        const { el, remove } = await mountSession({ adapter, 'push-to-talk': true }, { device: true });
        try {
          const contexts = contextMark();
          const tracks = trackMark();
          await el.start();
          const [first] = kitContexts(contexts);
          const [firstTrack] = deviceTracks(tracks);
          expect(first, 'a context for the first session').to.not.equal(undefined);
          expect(firstTrack?.readyState, 'a live microphone track').to.equal('live');
          await contextState(first!.context, 'running');
          await el.stop();
          expect(first!.context.state, 'the first context is closed at stop').to.equal('closed');
          expect(firstTrack!.readyState, 'the first track is stopped at stop').to.equal('ended');

          const contexts2 = contextMark();
          const tracks2 = trackMark();
          await el.start();
          const second = kitContexts(contexts2);
          const secondTracks = deviceTracks(tracks2);
          expect(second, 'one new context').to.have.length(1);
          expect(second[0]!.context).to.not.equal(first!.context);
          await contextState(second[0]!.context, 'running');
          expect(secondTracks, 'one new track').to.have.length(1);
          expect(secondTracks[0]).to.not.equal(firstTrack);
          expect(secondTracks[0]!.readyState).to.equal('live');
          await el.stop();
          expect(kitContexts(contexts).every((record) => record.context.state === 'closed'), 'every context closed').to.equal(true);
          expect(deviceTracks(tracks).every((track) => track.readyState === 'ended'), 'every track ended').to.equal(true);
        } finally {
          await remove();
        }
      });

      it('a microphone stream the page passes is used by every session and never stopped by the kit', async () => {
        const { el, mic, remove } = await mountSession({ adapter, 'push-to-talk': true });
        try {
          const tracks = trackMark();
          for (let session = 0; session < 2; session += 1) {
            await el.start();
            await el.stop();
            expect(mic!.track.readyState, `after session ${session + 1}`).to.equal('live');
          }
          expect(deviceTracks(tracks), 'the kit opened no device of its own').to.have.length(0);
        } finally {
          await remove();
        }
      });
    });
  }
});

describe('engines: output after the page was in the background', () => {
  afterEach(() => restoreVisibility());

  it('the kit resumes the context the engine reports suspended: when the page shows again, not while hidden', async () => {
    // The engine's side is simulated here (its state and statechange), so this runs in every engine
    // without suspending a context that plays (see the next test for the real thing).
    const { el, remove } = await mountSession({ adapter: 'openai-websocket' });
    try {
      const mark = contextMark();
      await el.start();
      const context = kitContexts(mark)[0]!.context;
      await contextState(context, 'running');
      let resumes = 0;
      Object.defineProperty(context, 'resume', { configurable: true, value: () => ((resumes += 1), Promise.resolve()) });
      Object.defineProperty(context, 'state', { configurable: true, get: () => 'suspended' });
      setVisibility('hidden');
      context.dispatchEvent(new Event('statechange'));
      await frames();
      expect(resumes, 'not while the page is hidden').to.equal(0);
      setVisibility('visible');
      expect(resumes, 'as soon as the page is visible').to.equal(1);
      // Still suspended (the engine wants a gesture): a key press anywhere tries again.
      document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'a' }));
      expect(resumes, 'on the next gesture').to.equal(2);
      delete (context as unknown as Record<string, unknown>).state;
      delete (context as unknown as Record<string, unknown>).resume;
      context.dispatchEvent(new Event('statechange'));
      document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'a' }));
      expect(resumes, 'running again: gestures leave it alone').to.equal(2);
    } finally {
      await remove();
    }
  });

  it('a reply keeps playing after the page is hidden (its context suspended, as Safari does) and shown again', async function () {
    await avoidEngineBug(this, 'webkitgtk-suspend-while-playing');
    const { el, remove } = await mountSession({ adapter: 'openai-websocket' });
    try {
      const mark = contextMark();
      await el.start();
      const context = kitContexts(mark)[0]!.context;
      await contextState(context, 'running');
      const audioStart = nextEvent(el, 'charivo-audio-start');
      const audioEnd = nextEvent<{ reason: string }>(el, 'charivo-audio-end', () => true, 20_000);
      await el.send('tell me a story about engines, please');
      await audioStart;

      setVisibility('hidden');
      await context.suspend();
      await frames();
      expect(context.state, 'left suspended while the page is hidden').to.equal('suspended');

      let ended: string | undefined;
      void audioEnd.then((end) => (ended = end.reason), () => {});
      setVisibility('visible');
      await contextState(context, 'running');
      const resumedAt = context.currentTime;
      const state = () => el.state;
      await untilFrames(
        () => el.session.levels.output.read(),
        (level) => level > 0.02,
        () => `the voice level after the page came back (context ${context.state}, its clock advanced ` +
          `${(context.currentTime - resumedAt).toFixed(2)} s; audio ${ended ? `ended: ${ended}` : 'not ended'}; ` +
          `audioPlaying ${state().audioPlaying}, response ${state().response.status})`,
      );
      expect((await audioEnd).reason, 'the reply played to its end').to.equal('stopped');
    } finally {
      await remove();
    }
  });

  it('where the engine will not resume without a gesture, the next click anywhere on the page does', async function () {
    await avoidEngineBug(this, 'webkitgtk-suspend-while-playing');
    const { el, remove } = await mountSession({ adapter: 'openai-websocket' });
    const elsewhere = document.createElement('p');
    elsewhere.textContent = 'Somewhere else on the page';
    document.body.append(elsewhere);
    try {
      const mark = contextMark();
      await el.start();
      const context = kitContexts(mark)[0]!.context;
      await contextState(context, 'running');

      setVisibility('hidden');
      await context.suspend();
      // Safari without a gesture: resume() does nothing.
      Object.defineProperty(context, 'resume', { configurable: true, value: () => Promise.resolve() });
      setVisibility('visible');
      await frames();
      expect(context.state, 'still suspended: no gesture yet').to.equal('suspended');

      delete (context as unknown as Record<string, unknown>).resume;
      await realClick(elsewhere);
      await contextState(context, 'running');

      const audioStart = nextEvent(el, 'charivo-audio-start');
      await el.send('are you still there?');
      await audioStart;
      await untilFrames(() => el.session.levels.output.read(), (level) => level > 0.02, 'the voice level after the click');
    } finally {
      elsewhere.remove();
      await remove();
    }
  });
});
