// Shared helpers of the browser benchmarks: statistics, formatting, frames that the benches' own
// bookkeeping schedules (kept apart from any wrapped requestAnimationFrame), GC, and the hand-off of a
// result to Node through the `bench-result` server command (bench/lib/bench-result-plugin.mjs).
import { executeServerCommand } from '@web/test-runner-commands';

/** One printed table: the first column names the figure; the others are figure, comparison, ratio, …. */
export interface BenchTable {
  title: string;
  headers: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
}

/** Sends a result to Node, which prints the table and writes bench/results/<name>.json. */
export async function report(name: string, table: BenchTable, data: Record<string, unknown>): Promise<void> {
  const ok = await executeServerCommand('bench-result', { name, table, data });
  if (!ok) throw new Error('the bench-result command was not handled (run with bench/wtr-bench.config.mjs)');
}

// Captured at import, before any bench wraps them.
const originalRaf = window.requestAnimationFrame.bind(window);
const originalSetTimeout = window.setTimeout.bind(window);

/** Resolves on the next animation frame with its timestamp (not counted by wrapped rAF). */
export function nextFrame(): Promise<number> {
  return new Promise((resolve) => originalRaf(resolve));
}

/** Calls `callback` every animation frame until the returned stop function is called. */
export function everyFrame(callback: (time: number) => void): () => void {
  let running = true;
  const step = (time: number) => {
    if (!running) return;
    callback(time);
    originalRaf(step);
  };
  originalRaf(step);
  return () => {
    running = false;
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => originalSetTimeout(resolve, ms));
}

/** A macrotask with no timer clamping (MessageChannel). */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Full GC when the page was started with --js-flags=--expose-gc (twice: weak references clear on the second). */
export async function collectGarbage(): Promise<boolean> {
  const gc = (window as unknown as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  await sleep(50);
  gc();
  await sleep(50);
  return true;
}

/** JS heap in use (precise with --enable-precise-memory-info), or NaN where unavailable. */
export function usedHeap(): number {
  return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

/** `12.3 ms`. */
export function ms(value: number, digits = 1): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a';
}

/** `1.23×` (a / b), `n/a` when b is 0 or either is not a number. */
export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${(a / b).toFixed(2)}×`;
}

/** `1.23 MB`. */
export function mb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : 'n/a';
}

/** `median (min–max)` of a series. */
export function spread(values: readonly number[], format: (v: number) => string = (v) => v.toFixed(1)): string {
  if (values.length === 0) return 'n/a';
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

/** A deterministic PRNG (mulberry32), so each run's signal is reproducible. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Chrome's performance metrics of this page's renderer (durations in ms of main-thread CPU time). */
export interface PageMetrics {
  TaskDuration: number;
  ScriptDuration: number;
  LayoutDuration: number;
  RecalcStyleDuration: number;
  LayoutCount: number;
  RecalcStyleCount: number;
  [name: string]: number;
}

/** Reads the metrics through the DevTools protocol (bench-metrics server command). */
export async function pageMetrics(): Promise<PageMetrics> {
  return (await executeServerCommand('bench-metrics')) as PageMetrics;
}

/** The difference of two metric snapshots (after − before), every metric. */
export function metricsDelta(before: PageMetrics, after: PageMetrics): PageMetrics {
  const out = {} as PageMetrics;
  for (const key of Object.keys(after)) out[key] = (after[key] ?? 0) - (before[key] ?? 0);
  return out;
}

/** Size and gzip -9 size of files the page loaded (paths under the project root). */
export async function fileSizes(paths: string[]): Promise<Array<{ path: string; bytes: number; gzip: number }>> {
  return (await executeServerCommand('bench-bytes', { paths })) as Array<{ path: string; bytes: number; gzip: number }>;
}

/** `12.3 KB`. */
export function kb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KB` : 'n/a';
}

/** An iframe (900×700) showing `html`; resolves once it loaded. Remove it with `frame.remove()`. */
export async function framePage(html: string): Promise<{ frame: HTMLIFrameElement; win: Window & typeof globalThis }> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 900px; height: 700px; border: 0';
  frame.srcdoc = html;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return { frame, win: frame.contentWindow as Window & typeof globalThis };
}

/** The JavaScript files (paths) a window has loaded so far, in load order. */
export function loadedScripts(win: Window): string[] {
  return win.performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.endsWith('.js'));
}
