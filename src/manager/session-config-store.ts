/**
 * Keeps the requested base config and the patches not yet accepted by the provider, so that a failed
 * live update rolls back only its own patches and an update made while connecting is never lost.
 */
import type { RealtimeSessionConfig } from './session-config.js';

interface PendingPatch {
  patch: RealtimeSessionConfig;
  resolve(): void;
  reject(error: Error): void;
}

/** Shallow merge where `undefined` means "leave as is" and `null` is a value (e.g. turn detection off). */
export function mergeSessionConfig(base: RealtimeSessionConfig, patch: RealtimeSessionConfig): RealtimeSessionConfig {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = value;
  return merged as RealtimeSessionConfig;
}

export class SessionConfigStore {
  #accepted: RealtimeSessionConfig;
  #pending: PendingPatch[] = [];
  #inFlight = new Set<PendingPatch>();

  constructor(initial: RealtimeSessionConfig = {}) {
    this.#accepted = { ...initial };
  }

  /** The config to connect with: accepted base plus every patch in flight or waiting, in order. */
  requested(): RealtimeSessionConfig {
    let config = this.#accepted;
    for (const entry of [...this.#inFlight, ...this.#pending]) config = mergeSessionConfig(config, entry.patch);
    return config;
  }

  /** Applies a patch directly (no live session to ask). */
  cache(patch: RealtimeSessionConfig): void {
    this.#accepted = mergeSessionConfig(this.#accepted, patch);
  }

  /** Queues a patch; the promise settles when a live update or a (re)connect accepts or refuses it. */
  enqueue(patch: RealtimeSessionConfig): Promise<void> {
    return new Promise((resolve, reject) => this.#pending.push({ patch, resolve, reject }));
  }

  get hasPending(): boolean {
    return this.#pending.length > 0;
  }

  /** Moves every waiting patch in flight and returns them (a live update or connect is about to send them). */
  take(): readonly PendingPatch[] {
    const taken = this.#pending;
    this.#pending = [];
    for (const entry of taken) this.#inFlight.add(entry);
    return taken;
  }

  /** The provider accepted a config that included `entries`. */
  accept(entries: readonly PendingPatch[]): void {
    for (const entry of entries) {
      if (!this.#inFlight.delete(entry)) continue;
      this.#accepted = mergeSessionConfig(this.#accepted, entry.patch);
      entry.resolve();
    }
  }

  /** The provider refused: these patches are dropped, the previous config stays. */
  reject(entries: readonly PendingPatch[], error: Error): void {
    for (const entry of entries) {
      if (!this.#inFlight.delete(entry)) continue;
      entry.reject(error);
    }
  }

  /** A connect carrying these patches failed without refusing them: they wait for the next attempt. */
  requeue(entries: readonly PendingPatch[]): void {
    const back = entries.filter((entry) => this.#inFlight.delete(entry));
    this.#pending = [...back, ...this.#pending];
  }

  /** Session ended: keep every outstanding patch for the next start and resolve their promises. */
  foldAll(): void {
    const all = [...this.#inFlight, ...this.#pending];
    this.#inFlight.clear();
    this.#pending = [];
    for (const entry of all) {
      this.#accepted = mergeSessionConfig(this.#accepted, entry.patch);
      entry.resolve();
    }
  }
}

/**
 * Coalesces live refreshes: at most one in flight plus one queued; every request made while one is in
 * flight joins the queued run, which reads the latest config when it starts.
 */
export class CoalescingRunner {
  #inFlight: Promise<void> | null = null;
  #queued: { promise: Promise<void>; resolve(): void; reject(error: unknown): void } | null = null;

  constructor(private readonly run: () => Promise<void>) {}

  get busy(): boolean {
    return this.#inFlight !== null;
  }

  request(): Promise<void> {
    if (!this.#inFlight) return this.#start();
    if (!this.#queued) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#queued = { promise, resolve, reject };
    }
    return this.#queued.promise;
  }

  #start(): Promise<void> {
    const current = this.run();
    this.#inFlight = current;
    const next = () => {
      this.#inFlight = null;
      const queued = this.#queued;
      this.#queued = null;
      if (queued) this.#start().then(queued.resolve, queued.reject);
    };
    current.then(next, next);
    return current;
  }
}
