// The deadline logic of the response timeout, on a fake clock: activity keeps a key alive, silence
// expires it once, and one timer serves every key.
import { expect } from '@open-wc/testing';
import { ResponseWatchdog, type WatchdogClock } from './response-watchdog.js';

function fakeClock() {
  let now = 0;
  let timers: Array<{ at: number; callback: () => void; handle: number }> = [];
  let next = 0;
  const clock: WatchdogClock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimeout(callback, ms) {
      const handle = ++next;
      timers.push({ at: now + ms, callback, handle });
      return handle;
    },
    clearTimeout(handle) {
      timers = timers.filter((timer) => timer.handle !== handle);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((timer) => timer !== due);
        now = due.at;
        due.callback();
      }
      now = until;
    },
    pending: () => timers.length,
  };
  return clock;
}

describe('ResponseWatchdog', () => {
  it('a key touched more often than the timeout never expires; silence expires it once', () => {
    const clock = fakeClock();
    const expired: string[][] = [];
    const watchdog = new ResponseWatchdog(100, (keys) => expired.push(keys), clock);
    watchdog.touch('r1');
    for (let i = 0; i < 50; i += 1) {
      clock.advance(60);
      watchdog.touch('r1');
    }
    expect(expired).to.deep.equal([]);
    clock.advance(99);
    expect(expired).to.deep.equal([]);
    clock.advance(1);
    expect(expired).to.deep.equal([['r1']]);
    clock.advance(1000);
    expect(expired).to.have.length(1);
    expect(clock.pending()).to.equal(0);
  });

  it('keys expire each on their own deadline, with at most one timer armed', () => {
    const clock = fakeClock();
    const expired: string[][] = [];
    const watchdog = new ResponseWatchdog(100, (keys) => expired.push(keys), clock);
    watchdog.touch('a');
    clock.advance(50);
    watchdog.touch('b');
    expect(clock.pending()).to.equal(1);
    clock.advance(50);
    expect(expired).to.deep.equal([['a']]);
    clock.advance(50);
    expect(expired).to.deep.equal([['a'], ['b']]);
  });

  it('forgotten and cleared keys never expire; Infinity turns the watchdog off', () => {
    const clock = fakeClock();
    const expired: string[][] = [];
    const watchdog = new ResponseWatchdog(100, (keys) => expired.push(keys), clock);
    watchdog.touch('a');
    watchdog.forget('a');
    watchdog.touch('b');
    watchdog.clear();
    clock.advance(1000);
    expect(expired).to.deep.equal([]);
    expect(clock.pending()).to.equal(0);
    const off = new ResponseWatchdog(Infinity, (keys) => expired.push(keys), clock);
    off.touch('c');
    clock.advance(1e9);
    expect(expired).to.deep.equal([]);
    expect(clock.pending()).to.equal(0);
  });
});
