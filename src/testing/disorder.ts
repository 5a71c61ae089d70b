/**
 * A disordered provider for tests: reorder, duplicate, delay and interleave the events of scripted
 * responses ({@link FakeRealtimeTransport.script}) before playing them. Every helper is pure and takes
 * its randomness from a seeded source, so a failing sequence can be replayed from its seed.
 * @packageDocumentation
 */
import type { FakeTransportEvent } from './fake-transport.js';

/** A deterministic source of numbers in [0, 1) (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, max). */
export function randomInt(random: () => number, max: number): number {
  return Math.floor(random() * max);
}

/** Out of order: a random permutation of `events`. */
export function shuffle<T>(events: readonly T[], random: () => number): T[] {
  const copy = [...events];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomInt(random, i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * Interleaved: merges several sequences at random, keeping the order inside each one (two responses
 * streaming at once, as a provider that runs them concurrently would send them).
 */
export function interleave<T>(random: () => number, ...sequences: ReadonlyArray<readonly T[]>): T[] {
  const cursors = sequences.map(() => 0);
  const merged: T[] = [];
  for (;;) {
    const open = sequences.map((_sequence, index) => index).filter((index) => cursors[index]! < sequences[index]!.length);
    if (open.length === 0) return merged;
    const pick = open[randomInt(random, open.length)]!;
    merged.push(sequences[pick]![cursors[pick]!]!);
    cursors[pick]! += 1;
  }
}

/** Duplicated: each event is repeated with probability `rate`, the copy landing anywhere after it. */
export function duplicate<T>(events: readonly T[], random: () => number, rate = 0.3): T[] {
  const result = [...events];
  for (let i = events.length - 1; i >= 0; i -= 1) {
    if (random() >= rate) continue;
    const at = events.length === 0 ? 0 : i + 1 + randomInt(random, result.length - i);
    result.splice(at, 0, events[i]!);
  }
  return result;
}

/** Late: each event matching `which` is moved after everything else (after its response's done). */
export function late(events: readonly FakeTransportEvent[], which: (event: FakeTransportEvent) => boolean): FakeTransportEvent[] {
  return [...events.filter((event) => !which(event)), ...events.filter(which)];
}
