import { expect } from '@open-wc/testing';
import { FakeRealtimeTransport } from '../testing/index.js';
import { ForwardingLevelSource } from '../transports/audio/level-source.js';
import { rejection } from '../../test/helpers/manager.js';
import { LazyRealtimeManager, type LazyManagerInit } from './lazy-manager.js';
import { createRealtimeManager } from './realtime-manager.js';
import type { RealtimeManager, RealtimeToolRegistration } from './types.js';

const tool = (name: string, parameters: Record<string, unknown> = { type: 'object', properties: {} }): RealtimeToolRegistration => ({
  definition: { type: 'function', name, parameters },
  handler: () => ({ ok: true }),
});

/** A lazy manager whose code "arrives" when the test says so; records what the manager was created with. */
function lazy() {
  const transport = new FakeRealtimeTransport();
  const inits: LazyManagerInit[] = [];
  let arrive!: () => void;
  let fail!: (error: Error) => void;
  let loads = 0;
  const loader = () => {
    loads += 1;
    return new Promise<(init: LazyManagerInit) => RealtimeManager>((resolve, reject) => {
      arrive = () =>
        resolve((init) => {
          inits.push(init);
          return createRealtimeManager(transport, { character: init.character, tools: init.tools });
        });
      fail = reject;
    });
  };
  const levels = { output: new ForwardingLevelSource(), input: new ForwardingLevelSource() };
  const manager = new LazyRealtimeManager(loader, levels);
  return { manager, transport, inits, arrive: () => arrive(), fail: (error: Error) => fail(error), loads: () => loads };
}

describe('LazyRealtimeManager: the manager whose code loads on first need', () => {
  it('answers before it loads: idle state, tools checked and kept, character, effective config', () => {
    const { manager, loads } = lazy();
    expect(manager.getState().connection).to.equal('idle');
    expect(manager.getState().session.status).to.equal('idle');
    manager.registerTool(tool('a'));
    manager.registerTool(tool('b'));
    expect(() => manager.registerTool(tool('bad name'))).to.throw().with.property('code', 'invalid_argument');
    expect(() => manager.registerTool(tool('c', { type: 'array' }))).to.throw(/type: "object"/);
    expect(manager.unregisterTool('a')).to.equal(true);
    expect(manager.getRegisteredTools().map((t) => t.name)).to.deep.equal(['b']);
    expect(Object.isFrozen(manager.getRegisteredTools()[0])).to.equal(true);
    expect(() => manager.setCharacter({ personality: 'x' } as never)).to.throw().with.property('code', 'invalid_argument');
    manager.setCharacter({ name: 'Ada' });
    expect(manager.getCharacter()).to.deep.equal({ name: 'Ada' });
    expect(manager.getEffectiveConfig().instructions).to.contain('You are Ada.');
    expect(manager.getEffectiveConfig().tools!.map((t) => t.name)).to.deep.equal(['b']);
    expect(manager.loaded).to.equal(undefined);
    expect(loads()).to.equal(0);
  });

  it('creates the manager with what was set before, and listeners, mute and the bridge move over', async () => {
    const { manager, transport, inits, arrive } = lazy();
    const seen: string[] = [];
    const bridged: string[] = [];
    manager.registerTool(tool('early'));
    manager.setCharacter({ name: 'Ada' });
    manager.setMuted(true);
    manager.setEventEmitter({ emit: (event) => bridged.push(event) });
    manager.on('realtime:session:start', () => seen.push('start'));
    const off = manager.onAny((event) => seen.push(`any:${event}`));
    const started = manager.startSession();
    arrive();
    await started;
    expect(inits).to.have.length(1);
    expect(inits[0]!.tools.map((t) => t.definition.name)).to.deep.equal(['early']);
    expect(manager.loaded).to.not.equal(undefined);
    expect(manager.getState().connection).to.equal('connected');
    expect(manager.getCharacter()).to.deep.equal({ name: 'Ada' });
    expect(transport.muted).to.equal(true);
    expect(seen).to.include('start');
    expect(seen).to.include('any:realtime:session:start');
    expect(bridged).to.include('realtime:session:start');
    expect(transport.callsOf('connect')[0]!.request.session.tools!.map((t) => t.name)).to.deep.equal(['early']);
    // An unsubscribe taken before the load still works after it.
    off();
    const before = seen.length;
    await manager.sendMessage('hi');
    expect(seen.slice(before).some((entry) => entry.startsWith('any:'))).to.equal(false);
    await manager.dispose();
  });

  it('a tool registered while the code loads (the same task as start) reaches the manager', async () => {
    const { manager, transport, arrive } = lazy();
    const started = manager.startSession();
    manager.registerTool(tool('late'));
    arrive();
    await started;
    expect(manager.getRegisteredTools().map((t) => t.name)).to.deep.equal(['late']);
    expect(transport.callsOf('connect')[0]!.request.session.tools!.map((t) => t.name)).to.deep.equal(['late']);
    await manager.dispose();
  });

  it('stopSession() right after startSession(), before the code arrived, cancels that start', async () => {
    const { manager, arrive } = lazy();
    const started = manager.startSession();
    const stopped = manager.stopSession();
    arrive();
    const error = await rejection(started);
    expect(error.code).to.equal('start_aborted');
    await stopped;
    expect(manager.getState().session.status).to.not.equal('active');
  });

  it('stopSession() and dispose() before any load load nothing', async () => {
    const { manager, loads } = lazy();
    await manager.stopSession();
    await manager.dispose();
    expect(loads()).to.equal(0);
  });

  it('a failed load is a start_failed realtime:error and a rejection; the next call loads again', async () => {
    const { manager, fail, arrive, loads } = lazy();
    const errors: Array<{ error: Error & { code?: string } }> = [];
    manager.on('realtime:error', (payload) => errors.push(payload));
    const first = manager.startSession();
    fail(new TypeError('Failed to fetch dynamically imported module'));
    const error = await rejection(first);
    expect(error.code).to.equal('start_failed');
    expect(error.message).to.contain('Failed to fetch');
    expect(errors.map((e) => e.error.code)).to.deep.equal(['start_failed']);
    expect(manager.loaded).to.equal(undefined);
    const second = manager.startSession();
    expect(loads()).to.equal(2);
    arrive();
    await second;
    expect(manager.getState().connection).to.equal('connected');
    await manager.dispose();
  });

  it('a manager disposed before it loaded is disposed once it does', async () => {
    const { manager, arrive } = lazy();
    await manager.dispose();
    const started = manager.startSession();
    arrive();
    const error = await rejection(started);
    expect(error.code).to.equal('disposed');
  });
  it('keeps the session features set before it loads (checked at once) and hands them to the manager', async () => {
    const calls: string[] = [];
    let arrive!: () => void;
    const loader = () =>
      new Promise<(init: LazyManagerInit) => RealtimeManager>((resolve) => {
        arrive = () =>
          resolve(() => {
            const real = createRealtimeManager(new FakeRealtimeTransport());
            const spy = <K extends 'setPrices' | 'setWakeLock' | 'setRollover'>(name: K) => {
              const original = real[name].bind(real) as (value: unknown) => void;
              (real as unknown as Record<K, (value: unknown) => void>)[name] = (value) => {
                calls.push(`${name} ${JSON.stringify(value)}`);
                original(value);
              };
            };
            spy('setPrices');
            spy('setWakeLock');
            spy('setRollover');
            return real;
          });
      });
    const manager = new LazyRealtimeManager(loader, { output: new ForwardingLevelSource(), input: new ForwardingLevelSource() });
    const before = manager.getMetrics();
    expect(before).to.deep.include({ sessionId: null, last: null });
    expect(before.turns).to.deep.equal([]);
    expect(before.totals.turns).to.equal(0);
    expect(Object.isFrozen(before)).to.equal(true);
    expect(() => manager.setRollover({ afterMs: -1 })).to.throw(/rollover.afterMs/).with.property('code', 'invalid_argument');
    expect(() => manager.setPrices({ 'gpt-realtime': 'cheap' } as never)).to.throw().with.property('code', 'invalid_argument');
    manager.setPrices({ '*': { textInput: 4, textOutput: 16, audioInput: 32, audioOutput: 64 } });
    manager.setWakeLock(false);
    manager.setRollover(false);
    expect(calls).to.deep.equal([]);
    const loading = manager.load();
    arrive();
    const real = await loading;
    // The rejected values never reached it; the last accepted ones did, once each.
    expect(calls).to.deep.equal(['setPrices {"*":{"textInput":4,"textOutput":16,"audioInput":32,"audioOutput":64}}', 'setWakeLock false', 'setRollover false']);
    expect(manager.getMetrics()).to.equal(real.getMetrics());
    manager.setWakeLock(true);
    expect(calls.at(-1)).to.equal('setWakeLock true');
  });
});
