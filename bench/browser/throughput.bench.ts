// Event throughput: DELTAS transcript deltas (`assistant:delta` on a FakeRealtimeTransport, one response)
// through a bare transport listener (appends each delta to a string) against our manager +
// <charivo-realtime> (`.transport = fake`) + <charivo-transcript> (320 px tall, so it scrolls). Main-thread
// time = performance.now() from the first emission until the elements' updateComplete resolved (the
// transcript's updated() sets scrollTop, which lays out synchronously, so layout is inside the span);
// long tasks from a PerformanceObserver('longtask'). Two deliveries: all deltas in one task, and
// BATCH deltas per macrotask (MessageChannel, no timer clamping) as a stream arrives; for the batched
// delivery the main-thread time is the sum of the tasks' spans. Medians of interleaved runs.
import '../../src/elements/realtime/define.js';
import '../../src/elements/transcript/define.js';
import type { CharivoRealtime } from '../../src/elements/realtime/realtime.js';
import type { CharivoTranscript } from '../../src/elements/transcript/transcript.js';
import { createRealtimeManager } from '../../src/manager/index.js';
import { FakeRealtimeTransport } from '../../src/testing/index.js';
import { macrotask, median, ms, nextFrame, random, ratio, report, sleep, spread, sum } from './support.js';

const DELTAS = 10_000;
const BATCH = 10;
const RUNS = 5;
/** The batched delivery of ours takes 20–40 s a run on a loaded 2-core machine: fewer runs. */
const RUNS_BATCHED = 3;

const WORDS = ['the', 'voice', 'of', 'a', 'small', 'assistant', 'answers', 'quickly', 'and', 'clearly,', 'with', 'care.', 'Then', 'it', 'waits'];
function makeDeltas(): string[] {
  const rnd = random(42);
  return Array.from({ length: DELTAS }, (_, i) => `${i === 0 ? '' : ' '}${WORDS[Math.floor(rnd() * WORDS.length)]}`);
}
const deltas = makeDeltas();
const fullText = deltas.join('');

interface Sample {
  /** Main-thread time: first emission → DOM settled (batched: sum over tasks). */
  busyMs: number;
  /** Emission loop(s) alone. */
  emitMs: number;
  /** First emission → last task done (includes idle gaps between batched tasks). */
  wallMs: number;
  longTasks: number;
  longTaskMs: number;
  /** Span of each task. */
  taskMs: number[];
}

interface Subject {
  transport: FakeRealtimeTransport;
  /** Resolves when the DOM reflects everything emitted so far. */
  settle(): Promise<void>;
  check(): void;
  dispose(): Promise<void>;
}

function bare(): Subject {
  const transport = new FakeRealtimeTransport();
  let text = '';
  transport.on('assistant:delta', ({ delta }) => {
    text += delta;
  });
  return {
    transport,
    settle: async () => {},
    check: () => {
      if (text !== fullText) throw new Error(`bare: got ${text.length} chars, expected ${fullText.length}`);
    },
    dispose: async () => {},
  };
}

/** The manager alone over the fake, with a listener for its deltas (where the time goes, part 1). */
async function managerOnly(): Promise<Subject> {
  const transport = new FakeRealtimeTransport();
  const manager = createRealtimeManager(transport);
  let text = '';
  manager.on('realtime:assistant:delta', ({ delta }) => {
    text += delta;
  });
  await manager.startSession();
  return {
    transport,
    settle: async () => {},
    check: () => {
      if (text !== fullText) throw new Error(`manager: got ${text.length} chars`);
    },
    dispose: () => manager.dispose(),
  };
}

/** <charivo-realtime> with no children (part 2: the element's relay of events and state attributes). */
async function elementOnly(): Promise<Subject> {
  const transport = new FakeRealtimeTransport();
  const host = document.createElement('charivo-realtime') as CharivoRealtime;
  host.transport = transport;
  document.body.append(host);
  await host.start();
  return {
    transport,
    settle: () => host.updateComplete.then(() => undefined),
    check: () => {
      if (host.state.response.text !== fullText) throw new Error(`element: state has ${host.state.response.text.length} chars`);
    },
    dispose: async () => {
      await host.stop();
      host.remove();
    },
  };
}

async function ours(): Promise<Subject> {
  const transport = new FakeRealtimeTransport();
  const host = document.createElement('charivo-realtime') as CharivoRealtime;
  host.transport = transport;
  const transcript = document.createElement('charivo-transcript') as CharivoTranscript;
  transcript.style.cssText = 'display: flex; height: 320px; --charivo-transcript-max-height: 320px; width: 480px';
  host.append(transcript);
  document.body.append(host);
  await host.start();
  await transcript.updateComplete;
  return {
    transport,
    settle: async () => {
      await host.updateComplete;
      await transcript.updateComplete;
    },
    check: () => {
      const turn = transcript.turns.at(-1);
      if (turn?.kind !== 'assistant' || turn.text !== fullText) throw new Error(`ours: the last turn is not the whole reply (${turn?.kind})`);
      const shown = transcript.shadowRoot?.querySelector('.text')?.textContent ?? '';
      if (shown.length !== fullText.length) throw new Error(`ours: the DOM shows ${shown.length} chars`);
    },
    dispose: async () => {
      await host.stop();
      host.remove();
    },
  };
}

async function measure(make: () => Subject | Promise<Subject>, batch: number): Promise<Sample> {
  const subject = await make();
  const { transport } = subject;
  const responseId = 'resp_bench';
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  await nextFrame();
  await macrotask();
  let busyMs = 0;
  let emitMs = 0;
  const taskMs: number[] = [];
  const start = performance.now();
  for (let from = 0; from < DELTAS; from += batch) {
    if (from > 0) await macrotask();
    const t0 = performance.now();
    if (from === 0) transport.emit('assistant:start', { responseId });
    const to = Math.min(DELTAS, from + batch);
    for (let i = from; i < to; i += 1) transport.emit('assistant:delta', { responseId, delta: deltas[i]! });
    emitMs += performance.now() - t0;
    await subject.settle();
    taskMs.push(performance.now() - t0);
    busyMs += taskMs.at(-1)!;
  }
  const wallMs = performance.now() - start;
  // Long task entries arrive after their task: give them a moment.
  await sleep(100);
  await nextFrame();
  entries.push(...observer.takeRecords());
  observer.disconnect();
  const mine = entries.filter((entry) => entry.startTime + entry.duration >= start);
  subject.check();
  transport.emit('assistant:done', { responseId, text: fullText, status: 'completed' });
  await subject.settle();
  await subject.dispose();
  return { busyMs, emitMs, wallMs, longTasks: mine.length, longTaskMs: sum(mine.map((entry) => entry.duration)), taskMs };
}

/** A sample without its long list of task spans (medians per 100 tasks instead), for the JSON. */
function summarize({ taskMs, ...sample }: Sample) {
  const per100: number[] = [];
  for (let i = 0; i < taskMs.length; i += 100) per100.push(median(taskMs.slice(i, i + 100)));
  return { ...sample, tasks: taskMs.length, taskMsMedianPer100: per100 };
}

describe('bench: event throughput', () => {
  const modes = [
    { label: `all ${DELTAS} in one task`, batch: DELTAS },
    { label: `${BATCH} per macrotask (${DELTAS / BATCH} tasks)`, batch: BATCH },
  ];
  const results: Record<string, { bare: Sample[]; ours: Sample[] }> = {};
  const parts = { manager: [] as Sample[], element: [] as Sample[] };

  it(`${DELTAS} deltas in one task: bare listener vs manager + <charivo-realtime> + <charivo-transcript>`, async () => {
    await measure(bare, DELTAS);
    await measure(ours, DELTAS);
    const entry = { bare: [] as Sample[], ours: [] as Sample[] };
    for (let run = 0; run < RUNS; run += 1) {
      // Interleaved, with the parts of ours (manager alone, the element without children) in between.
      entry.bare.push(await measure(bare, DELTAS));
      parts.manager.push(await measure(managerOnly, DELTAS));
      parts.element.push(await measure(elementOnly, DELTAS));
      entry.ours.push(await measure(ours, DELTAS));
    }
    results[modes[0]!.label] = entry;
  });

  it(`${DELTAS} deltas, ${BATCH} per macrotask: bare listener vs the same elements`, async function () {
    this.timeout(480_000);
    const entry = { bare: [] as Sample[], ours: [] as Sample[] };
    for (let run = 0; run < RUNS_BATCHED; run += 1) {
      entry.bare.push(await measure(bare, BATCH));
      entry.ours.push(await measure(ours, BATCH));
    }
    results[modes[1]!.label] = entry;
  });

  after(async () => {
    if (modes.some((mode) => !results[mode.label])) return;
    const rows: Array<Array<string | number>> = [];
    const notes: string[] = [];
    const med = (list: Sample[], key: Exclude<keyof Sample, 'taskMs'>) => median(list.map((s) => s[key]));
    for (const mode of modes) {
      const { bare: b, ours: o } = results[mode.label]!;
      rows.push([`${mode.label}: main-thread time`, ms(med(o, 'busyMs')), ms(med(b, 'busyMs'), 2), ratio(med(o, 'busyMs'), med(b, 'busyMs'))]);
      rows.push([`  per delta`, `${((med(o, 'busyMs') * 1000) / DELTAS).toFixed(1)} µs`, `${((med(b, 'busyMs') * 1000) / DELTAS).toFixed(2)} µs`, ratio(med(o, 'busyMs'), med(b, 'busyMs'))]);
      rows.push([
        `  long tasks (> 50 ms): count, total`,
        `${med(o, 'longTasks')}, ${ms(med(o, 'longTaskMs'), 0)}`,
        `${med(b, 'longTasks')}, ${ms(med(b, 'longTaskMs'), 0)}`,
        med(b, 'longTaskMs') > 0 ? ratio(med(o, 'longTaskMs'), med(b, 'longTaskMs')) : 'n/a',
      ]);
      notes.push(
        `${mode.label}: ours ${spread(o.map((s) => s.busyMs), (v) => v.toFixed(0))} ms, of which emission ${ms(med(o, 'emitMs'), 0)} and rendering ` +
          `${ms(med(o, 'busyMs') - med(o, 'emitMs'), 0)}; wall ${ms(med(o, 'wallMs'), 0)} (bare ${ms(med(b, 'wallMs'), 0)})`,
      );
      const tasks = (list: Sample[], from: number, to: number) => median(list.flatMap((sample) => sample.taskMs.slice(from, to)));
      const last = Math.ceil(DELTAS / mode.batch);
      if (last >= 200) {
        notes.push(
          `${mode.label}: a task of ours takes ${ms(tasks(o, 0, 100), 2)} over the first 100 tasks (text < ${Math.round(fullText.length / 10 / 1000)} k chars) ` +
            `and ${ms(tasks(o, last - 100, last), 2)} over the last 100 (text ≈ ${Math.round(fullText.length / 1000)} k chars); bare ${ms(tasks(b, last - 100, last), 3)}`,
        );
      } else {
        notes.push(
          `${mode.label}, where the time of ours goes (medians, interleaved): manager alone ${ms(med(parts.manager, 'busyMs'), 0)}; ` +
            `manager + <charivo-realtime> without children ${ms(med(parts.element, 'busyMs'), 0)}; with <charivo-transcript> ${ms(med(o, 'busyMs'), 0)}`,
        );
      }
    }
    await report(
      'throughput',
      {
        title: `Event throughput (${DELTAS} assistant:delta events, ${fullText.length} chars, one response; median of ${RUNS} / ${RUNS_BATCHED} runs)`,
        headers: ['figure', 'ours (manager + elements)', 'bare listener', 'ratio'],
        rows,
        notes,
      },
      {
        deltas: DELTAS,
        batch: BATCH,
        headline: [rows[0], rows[3]],
        runs: { oneTask: RUNS, batched: RUNS_BATCHED },
        chars: fullText.length,
        oneTaskParts: { managerAlone: parts.manager.map(summarize), elementWithoutChildren: parts.element.map(summarize) },
        results: Object.fromEntries(
          Object.entries(results).map(([label, { bare: b, ours: o }]) => [label, { bare: b.map(summarize), ours: o.map(summarize) }]),
        ),
      },
    );
  });
});
