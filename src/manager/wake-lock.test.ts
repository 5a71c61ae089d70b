// The screen stays awake while a session is active: taken when it becomes active, released when it
// ends, taken again when the page becomes visible (browsers drop it for a hidden page), never taken
// when turned off, and a refusal never hurts the session.
import { expect } from '@open-wc/testing';
import { flush, setup } from '../../test/helpers/manager.js';
import type { WakeLockEnvironment, WakeLockHandle } from './wake-lock.js';

class FakeLock implements WakeLockHandle {
  released = false;
  #listeners = new Set<() => void>();
  async release(): Promise<void> {
    this.#drop();
  }
  addEventListener(_type: 'release', listener: () => void): void {
    this.#listeners.add(listener);
  }
  /** The browser released it (the page was hidden). */
  #drop(): void {
    if (this.released) return;
    this.released = true;
    for (const listener of this.#listeners) listener();
  }
  browserReleases(): void {
    this.#drop();
  }
}

function environment() {
  let visible = true;
  const listeners = new Set<() => void>();
  const locks: FakeLock[] = [];
  let refuse = false;
  const env: WakeLockEnvironment = {
    request: async () => {
      if (refuse) throw new DOMException('denied', 'NotAllowedError');
      const lock = new FakeLock();
      locks.push(lock);
      return lock;
    },
    visible: () => visible,
    onVisibilityChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    env,
    locks,
    listeners,
    held: () => locks.filter((lock) => !lock.released).length,
    refuse(value: boolean) {
      refuse = value;
    },
    setVisible(value: boolean) {
      visible = value;
      if (!value) for (const lock of locks) lock.browserReleases();
      for (const listener of [...listeners]) listener();
    },
  };
}

describe('screen wake lock', () => {
  it('is taken while the session is active and released when it stops', async () => {
    const fake = environment();
    const { manager } = setup({ wakeLock: fake.env });
    await flush();
    expect(fake.locks).to.have.length(0);
    await manager.startSession();
    await flush();
    expect(fake.held()).to.equal(1);
    await manager.stopSession();
    await flush();
    expect(fake.held()).to.equal(0);
    expect(fake.listeners.size, 'no visibility listener left').to.equal(0);
  });

  it('is taken again when the page becomes visible after the browser released it', async () => {
    const fake = environment();
    const { manager } = setup({ wakeLock: fake.env });
    await manager.startSession();
    await flush();
    fake.setVisible(false);
    await flush();
    expect(fake.held()).to.equal(0);
    expect(fake.locks).to.have.length(1, 'no request while hidden');
    fake.setVisible(true);
    await flush();
    expect(fake.locks).to.have.length(2);
    expect(fake.held()).to.equal(1);
    await manager.stopSession();
  });

  it('setWakeLock(false) releases it and keeps it off; true takes it again', async () => {
    const fake = environment();
    const { manager } = setup({ wakeLock: fake.env });
    await manager.startSession();
    await flush();
    manager.setWakeLock(false);
    await flush();
    expect(fake.held()).to.equal(0);
    fake.setVisible(false);
    fake.setVisible(true);
    await flush();
    expect(fake.held()).to.equal(0);
    manager.setWakeLock(true);
    await flush();
    expect(fake.held()).to.equal(1);
    await manager.stopSession();
  });

  it('wakeLock: false never asks', async () => {
    const { manager } = setup({ wakeLock: false });
    let asked = 0;
    Object.defineProperty(navigator, 'wakeLock', { configurable: true, value: { request: async () => ((asked += 1), { release: async () => {} }) } });
    try {
      await manager.startSession();
      await flush();
      expect(asked).to.equal(0);
    } finally {
      // The own property goes; the browser's (on the prototype) is back.
      delete (navigator as { wakeLock?: unknown }).wakeLock;
      await manager.stopSession();
    }
  });

  it('a refused request leaves the session running; a grant arriving after stop is released at once', async () => {
    const fake = environment();
    fake.refuse(true);
    const { manager } = setup({ wakeLock: fake.env });
    await manager.startSession();
    await flush();
    expect(manager.getState().connection).to.equal('connected');
    expect(fake.held()).to.equal(0);
    await manager.stopSession();

    let grant!: (lock: FakeLock) => void;
    const slow: WakeLockEnvironment = { ...fake.env, request: () => new Promise((resolve) => (grant = resolve)) };
    const second = setup({ wakeLock: slow });
    await second.manager.startSession();
    await second.manager.stopSession();
    const late = new FakeLock();
    grant(late);
    await flush();
    expect(late.released).to.equal(true);
  });
});
