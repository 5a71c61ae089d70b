// <charivo-transcript> follows the conversation unless the user scrolls away: a long conversation
// streamed at a realistic rate (one delta per animation frame, as a spoken reply's transcript arrives)
// must never stop following on its own, and a real user scroll (keyboard, mouse wheel, touch swipe,
// sent through the browser's input pipeline: test/wtr-input-plugin.mjs) must stop it; "Jump to latest" and scrolling back to the
// end resume it.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, resetMouse, sendMouse } from '@web/test-runner-commands';
import { avoidEngineBug } from '../../../test/helpers/engine.js';
import { sendKeys } from '../../../test/helpers/keys.js';
import { untilStill } from '../../../test/helpers/scroll.js';
import { createTestSession, provideSession, type TestSession } from '../../../test/helpers/session.js';
import './define.js';
import type { CharivoTranscript } from './transcript.js';

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/**
 * The next animation frame, then a task: as a delta from the network arrives, between frames rather
 * than inside one (a message event is a task; rendering, scroll events and rAF callbacks come first).
 */
const nextDeltaSlot = () =>
  new Promise<void>((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(0);
    }),
  );

/** A sidebar-sized transcript: narrow, so streamed text wraps onto new lines often. */
async function mount(session: TestSession, height = 240): Promise<{ el: CharivoTranscript; log: HTMLElement }> {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  provideSession(wrapper, session);
  wrapper.innerHTML = `<charivo-transcript style="height: ${height}px; width: 320px"></charivo-transcript>`;
  const el = wrapper.firstElementChild as CharivoTranscript;
  await el.updateComplete;
  return { el, log: el.shadowRoot!.querySelector<HTMLElement>('[part="log"]')! };
}

const distanceFromEnd = (log: HTMLElement) => log.scrollHeight - log.scrollTop - log.clientHeight;
const jump = (el: CharivoTranscript) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="jump"]');

let turnCounter = 0;

/**
 * One typed turn and its reply, streamed one delta (a few words, as transcript deltas come) per
 * animation frame.
 */
async function streamTurn(session: TestSession): Promise<void> {
  const n = (turnCounter += 1);
  // Called right after the previous turn's last slot: the user's next message arrives in a task too.
  await session.send(`Question number ${n}, typed by the user?`);
  const responseId = `resp_follow_${n}`;
  session.transport.emit('assistant:start', { responseId });
  const words = `Here is the answer to question ${n}. It streams in a few words at a time, the way the transcript of a spoken reply arrives from the provider.`.match(/(?:\S+\s*){1,3}/g)!;
  for (const word of words) {
    session.transport.emit('assistant:delta', { responseId, delta: word });
    await nextDeltaSlot();
  }
  session.transport.emit('assistant:done', { responseId, text: words.join(''), status: 'completed' });
  await nextDeltaSlot();
}

/** Waits (bounded by frames) until `predicate` holds; fails naming `what`. */
async function until(predicate: () => boolean, what: string, frames = 120): Promise<void> {
  for (let i = 0; i < frames; i += 1) {
    if (predicate()) return;
    await frame();
  }
  throw new Error(`${what}: not true after ${frames} frames`);
}

/** Resolves at the element's next `scrollend` (a scroll, fling included, has finished); fails after `ms`. */
function scrollEnded(element: HTMLElement, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no scrollend within ${ms} ms`)), ms);
    element.addEventListener(
      'scrollend',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Settles the follow scroll of the last update: it runs once per frame. */
async function settle(el: CharivoTranscript): Promise<void> {
  await el.updateComplete;
  await frame();
  await frame();
}

async function expectFollowing(el: CharivoTranscript, log: HTMLElement, when: string): Promise<void> {
  await settle(el);
  expect(el.following, `${when}: following`).to.equal(true);
  expect(jump(el), `${when}: no "Jump to latest"`).to.equal(null);
  expect(distanceFromEnd(log), `${when}: at the end`).to.be.at.most(1);
}

function center(element: Element): [number, number] {
  const rect = element.getBoundingClientRect();
  return [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)];
}

describe('<charivo-transcript> following', () => {
  let session: TestSession;

  beforeEach(async () => {
    session = createTestSession();
    await session.start();
  });

  afterEach(async () => {
    await resetMouse();
    await session.manager.dispose();
  });

  it('follows 40 typed turns whose replies stream one delta per frame, never stopping on its own', async function () {
    // About 560 animation frames, whatever their rate: 10 s alone, past 90 s in WebKit with all three
    // engines running on 2 cores (its frames slow to a few a second). The loop is bounded, so the limit
    // only has to outlast the slowest frame rate.
    this.timeout(150_000);
    // This test's own session: were it to time out, its loop must not stream into the next test's.
    const own = session;
    const { el, log } = await mount(own);
    for (let turn = 1; turn <= 40; turn += 1) {
      await streamTurn(own);
      // Checked after every turn without pausing the stream, so a failure names the turn where
      // following stopped (it never comes back by itself).
      await el.updateComplete;
      expect(el.following, `following after turn ${turn}`).to.equal(true);
      expect(jump(el), `no "Jump to latest" after turn ${turn}`).to.equal(null);
    }
    expect(el.turns).to.have.length(80);
    await expectFollowing(el, log, 'after the 40th turn');
  });

  // The tests below stream their turns one delta per frame: a loaded WebKit draws a few frames a
  // second, and one of them passed 30 s there (ci21), so each has 60 s.
  it('a keyboard scroll up stops following; new text does not pull the reader back; End resumes', async function () {
    this.timeout(60_000);
    const { el, log } = await mount(session);
    for (let i = 0; i < 6; i += 1) await streamTurn(session);
    await expectFollowing(el, log, 'before scrolling');
    log.focus();
    // Where the engine says when a scroll has finished, wait for that: a loaded Firefox paused PageUp's
    // smooth scroll for more than the 5 frames untilStill() waits, then carried on 21 px (892 after 913).
    const landed = 'onscrollend' in log ? scrollEnded(log) : undefined;
    await sendKeys({ press: 'PageUp' });
    await until(() => distanceFromEnd(log) > 20, 'PageUp scrolled the log');
    await landed;
    await untilStill(log);
    expect(el.following, 'following stopped after PageUp').to.equal(false);
    const readingAt = log.scrollTop;
    await streamTurn(session);
    await settle(el);
    expect(log.scrollTop, 'the reader stays where they were').to.equal(readingAt);
    expect(el.following).to.equal(false);
    expect(jump(el), '"Jump to latest" is offered').to.not.equal(null);

    await sendKeys({ press: 'End' });
    await until(() => el.following, 'following resumed at the end');
    await streamTurn(session);
    await expectFollowing(el, log, 'after End');
  });

  it('a scroll down still in flight when the user presses Home does not pull the reader back to the end', async function () {
    this.timeout(60_000);
    const { el, log } = await mount(session);
    for (let i = 0; i < 6; i += 1) await streamTurn(session);
    await expectFollowing(el, log, 'before Home');
    // The tail of an earlier smooth scroll to the end (End, PageDown) that the compositor delivers
    // after the key: the position read at the key is a few pixels short of where that scroll lands.
    const end = log.scrollHeight - log.clientHeight;
    log.scrollTop = end - 6;
    await new Promise((resolve) => log.addEventListener('scroll', resolve, { once: true }));
    log.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    expect(el.following, 'Home stops following').to.equal(false);
    const landed = new Promise((resolve) => log.addEventListener('scroll', resolve, { once: true }));
    log.scrollTop = end;
    await landed;
    await settle(el);
    expect(el.following, 'the earlier scroll landing at the end is not the reader coming back').to.equal(false);
    await streamTurn(session);
    await settle(el);
    expect(log.scrollTop, 'the next turn does not pull the reader to the end').to.equal(end);
    expect(jump(el), '"Jump to latest" is offered').to.not.equal(null);
  });

  it('a mouse wheel up stops following; "Jump to latest" resumes it and keeps focus in the transcript', async function () {
    this.timeout(60_000);
    const { el, log } = await mount(session);
    for (let i = 0; i < 6; i += 1) await streamTurn(session);
    await expectFollowing(el, log, 'before the wheel');
    await executeServerCommand('send-wheel', { position: center(log), deltaY: -240 });
    await until(() => distanceFromEnd(log) > 20, 'the wheel scrolled the log');
    await untilStill(log);
    expect(el.following, 'following stopped after the wheel').to.equal(false);
    const readingAt = log.scrollTop;
    await streamTurn(session);
    await settle(el);
    expect(log.scrollTop).to.equal(readingAt);
    expect(jump(el)).to.not.equal(null);

    await sendMouse({ type: 'click', position: center(jump(el)!) });
    await until(() => el.following, 'following resumed after Jump to latest');
    await expectFollowing(el, log, 'after Jump to latest');
    expect(el.shadowRoot!.activeElement, 'focus stays in the transcript').to.equal(log);
    await streamTurn(session);
    await expectFollowing(el, log, 'the next turn after Jump to latest');
  });

  it('a wheel down at the end, or over a log that does not overflow, does not stop following', async function () {
    this.timeout(60_000);
    const { el, log } = await mount(session, 600);
    await streamTurn(session);
    expect(log.scrollHeight).to.be.at.most(log.clientHeight);
    await executeServerCommand('send-wheel', { position: center(log), deltaY: -240 });
    await streamTurn(session);
    await expectFollowing(el, log, 'after a wheel over a log that fits');
    for (let i = 0; i < 6; i += 1) await streamTurn(session);
    await executeServerCommand('send-wheel', { position: center(log), deltaY: 240 });
    await streamTurn(session);
    await expectFollowing(el, log, 'after a wheel down at the end');
  });

  it('a touch swipe down stops following; swiping back to the end resumes', async function () {
    this.timeout(60_000);
    await avoidEngineBug(this, 'no-touch-scrolling');
    const { el, log } = await mount(session);
    for (let i = 0; i < 6; i += 1) await streamTurn(session);
    await expectFollowing(el, log, 'before the swipe');
    const rect = log.getBoundingClientRect();
    const x = Math.round(rect.left + rect.width / 2);
    // The finger moves down: the content follows it and the log scrolls up. The fling after it runs on
    // the compositor and can pause for more than the 5 frames untilStill() waits under load (a loaded
    // run moved 32 px more after them): its end is the scrollend event (this test runs where touch
    // scrolls, Chromium, which has it).
    const flingEnded = scrollEnded(log);
    await executeServerCommand('send-touch-swipe', { from: [x, Math.round(rect.top + 30)], to: [x, Math.round(rect.bottom - 30)] });
    await until(() => distanceFromEnd(log) > 20, 'the swipe scrolled the log');
    await flingEnded;
    await untilStill(log);
    expect(el.following, 'following stopped after the swipe').to.equal(false);
    const readingAt = log.scrollTop;
    await streamTurn(session);
    await settle(el);
    expect(log.scrollTop).to.equal(readingAt);

    // Each swipe back covers about half the log; under load the driver's touch moves arrive coalesced
    // and a swipe scrolls less (a loaded Chromium run stopped short after 6), so up to 12.
    for (let i = 0; i < 12 && !el.following; i += 1) {
      // Above the "Jump to latest" button, which sits at the bottom.
      await executeServerCommand('send-touch-swipe', { from: [x, Math.round(rect.top + rect.height * 0.6)], to: [x, Math.round(rect.top + 10)] });
      await untilStill(log);
    }
    expect(el.following, `following resumed at the end (${distanceFromEnd(log)} px from it)`).to.equal(true);
    await streamTurn(session);
    await expectFollowing(el, log, 'after swiping back');
  });
});
