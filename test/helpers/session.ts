// A CharivoSession for element tests: a real manager over the FakeRealtimeTransport, with level
// sources the test sets, and a way to provide it to elements through context without <charivo-realtime>.
import { ContextProvider } from '@lit/context';
import { createRealtimeManager } from '../../src/manager/index.js';
import type { RealtimeManagerOptions } from '../../src/manager/index.js';
import { sessionContext, type CharivoDevices, type CharivoSession } from '../../src/elements/session-context.js';
import { FakeRealtimeTransport } from '../../src/testing/index.js';
import { fakeNetwork } from './manager.js';

export interface TestSession extends CharivoSession {
  transport: FakeRealtimeTransport;
  /** Calls made through the session's actions, in order (preload() apart: see `preloads`). */
  actions: string[];
  /** How many times preload() was called (a control may call it on hover and focus, around its actions). */
  preloads: number;
  setPushToTalk(on: boolean): void;
}

export function createTestSession(options: RealtimeManagerOptions = {}, extra: { devices?: CharivoDevices } = {}): TestSession {
  const transport = new FakeRealtimeTransport();
  const manager = createRealtimeManager(transport, {
    network: fakeNetwork(true),
    reconnect: { baseDelayMs: 0, maxDelayMs: 0, maxAttempts: 2, jitter: 0 },
    ...options,
  });
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  manager.on('realtime:state', notify);
  let muted = false;
  let pushToTalk = false;
  const actions: string[] = [];
  const session: TestSession = {
    transport,
    actions,
    preloads: 0,
    async preload() {
      session.preloads += 1;
    },
    manager,
    get state() {
      return manager.getState();
    },
    get muted() {
      return muted;
    },
    get pushToTalk() {
      return pushToTalk;
    },
    levels: { output: transport.levels.output, input: transport.levels.input },
    ...(extra.devices ? { devices: extra.devices } : {}),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      actions.push('start');
      await manager.startSession();
    },
    async stop() {
      actions.push('stop');
      await manager.stopSession();
    },
    async send(text) {
      actions.push(`send:${text}`);
      await manager.sendMessage(text);
    },
    async interrupt() {
      actions.push('interrupt');
      await manager.interrupt();
    },
    setMuted(value) {
      actions.push(`muted:${value}`);
      muted = value;
      manager.setMuted(value);
      notify();
    },
    async startTalking() {
      actions.push('startTalking');
    },
    async stopTalking() {
      actions.push('stopTalking');
    },
    async retryMicrophone() {
      actions.push('retryMicrophone');
      return manager.retryMicrophone();
    },
    async sendImage(source, text, options) {
      actions.push(`sendImage${text ? `:${text}` : ''}`);
      return manager.sendImage(source, text, options);
    },
    setPushToTalk(on) {
      pushToTalk = on;
      notify();
    },
  };
  return session;
}

/** Makes `host` provide `session` to its descendants, as <charivo-realtime> does. */
export function provideSession(host: HTMLElement, session: CharivoSession | undefined): ContextProvider<typeof sessionContext> {
  return new ContextProvider(host, { context: sessionContext, initialValue: session });
}
