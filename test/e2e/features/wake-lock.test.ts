// The screen stays awake during a live session (issue 14, item 5), end to end with <charivo-realtime>
// over the real route and emulator, against the browser's real Screen Wake Lock: the test wraps
// navigator.wakeLock.request only to watch the sentinels it hands out. Taken when the session becomes
// active, released by the browser when the page is hidden (another tab in front, a real
// visibilitychange) and taken again when it is visible, released on stop; `no-wake-lock` turns it off,
// also mid-session.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../src/elements/realtime/define.js';
import type { CharivoRealtime } from '../../../src/elements/realtime/realtime.js';
import { requiresDriver } from '../../helpers/engine.js';
import { ROUTE_PATH, until } from './helpers.js';

function watchWakeLock() {
  const api = navigator.wakeLock;
  const original = api.request;
  const sentinels: WakeLockSentinel[] = [];
  api.request = async function (type?: WakeLockType) {
    const sentinel = await original.call(this, type);
    sentinels.push(sentinel);
    return sentinel;
  };
  return {
    sentinels,
    held: () => sentinels.filter((s) => !s.released).length,
    restore() {
      api.request = original;
    },
  };
}

async function page(attributes = ''): Promise<CharivoRealtime> {
  const host = await fixture<HTMLDivElement>(html`<div></div>`);
  host.innerHTML = `<charivo-realtime endpoint="${ROUTE_PATH}" adapter="openai-websocket" muted ${attributes}></charivo-realtime>`;
  const element = host.querySelector<CharivoRealtime>('charivo-realtime')!;
  await element.updateComplete;
  return element;
}

describe('e2e screen wake lock', function () {
  this.timeout(30_000);
  requiresDriver('page-visibility');
  let watch: ReturnType<typeof watchWakeLock>;

  // (A suite skipped by requiresDriver() runs neither hook.)
  beforeEach(() => {
    watch = watchWakeLock();
  });
  afterEach(async () => {
    await executeServerCommand('page-visibility', { visible: true });
    watch.restore();
  });

  it('is held while the session is active, given back when the page hides, taken again when it shows, released on stop', async () => {
    const element = await page();
    expect(watch.sentinels, 'nothing before a session').to.have.length(0);
    await element.start();
    await until(() => watch.held() === 1, 'the lock is taken when the session starts');

    await executeServerCommand('page-visibility', { visible: false });
    await until(() => document.visibilityState === 'hidden' && watch.held() === 0, 'the browser released it for the hidden page');
    expect(watch.sentinels, 'no request while hidden').to.have.length(1);

    await executeServerCommand('page-visibility', { visible: true });
    await until(() => watch.held() === 1 && watch.sentinels.length === 2, 'taken again when the page is visible');

    await element.stop();
    await until(() => watch.held() === 0, 'released on stop');
    expect(watch.sentinels).to.have.length(2);
  });

  it('no-wake-lock never takes it; turning it on (or off) mid-session takes (or releases) it', async () => {
    const element = await page('no-wake-lock');
    await element.start();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(watch.sentinels).to.have.length(0);
    element.noWakeLock = false;
    await until(() => watch.held() === 1, 'taken once allowed');
    element.noWakeLock = true;
    await until(() => watch.held() === 0, 'released when turned off');
    await element.stop();
    expect(watch.sentinels).to.have.length(1);
  });
});
