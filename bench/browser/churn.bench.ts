// Churn: CYCLES start/stop cycles of a real session — one manager over one remote client, through the real
// route to the emulator — per adapter (openai-agents-webrtc; openai-websocket). Before (after one warm-up
// cycle and a GC) and after (after the last stop and a GC) it counts what is still alive in the page: peer
// connections not closed, AudioContexts not closed, microphone tracks not ended (the constructors and
// getUserMedia are wrapped; WeakRefs, so the census itself keeps nothing alive), WebSockets not closed,
// the JS heap in use, and the emulator's sessions not closed. Figure: after; comparison: before.
// @ts-expect-error virtual module served by test/wtr-emulator-plugin.mjs
import { emulatorUrl, routePath } from '/__charivo/emulator.js';
import { createRealtimeManager, type RealtimeSessionConfig } from '../../src/manager/index.js';
import { createRemoteRealtimeClient } from '../../src/transports/remote/index.js';
import { collectGarbage, mb, median, ms, quantile, ratio, report, sleep, usedHeap } from './support.js';

const CYCLES = 100;
const ADAPTERS = ['openai-agents-webrtc', 'openai-websocket'] as const;
/** No voice activity detection (the fake microphone beeps), text replies: nothing runs but the session. */
const QUIET: RealtimeSessionConfig = { instructions: 'Churn benchmark.', turnDetection: null, outputModalities: ['text'] };

/** Counts live browser resources through WeakRefs. */
class Census {
  readonly #peers: Array<WeakRef<RTCPeerConnection>> = [];
  readonly #contexts: Array<WeakRef<AudioContext>> = [];
  readonly #tracks: Array<WeakRef<MediaStreamTrack>> = [];
  readonly #sockets: Array<WeakRef<WebSocket>> = [];
  created = { peers: 0, contexts: 0, tracks: 0, sockets: 0 };

  install(): void {
    const census = this;
    const wrap = <C extends new (...args: never[]) => object>(Original: C, list: Array<WeakRef<InstanceType<C>>>, key: keyof Census['created']): C =>
      new Proxy(Original, {
        construct(target, args, newTarget) {
          const made = Reflect.construct(target, args, newTarget) as InstanceType<C>;
          list.push(new WeakRef(made));
          census.created[key] += 1;
          return made;
        },
      });
    window.RTCPeerConnection = wrap(RTCPeerConnection, this.#peers, 'peers');
    window.AudioContext = wrap(AudioContext, this.#contexts, 'contexts');
    window.WebSocket = wrap(WebSocket, this.#sockets, 'sockets');
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      const stream = await getUserMedia(constraints);
      for (const track of stream.getTracks()) {
        this.#tracks.push(new WeakRef(track));
        this.created.tracks += 1;
      }
      return stream;
    };
  }

  live() {
    const alive = <T extends object>(list: Array<WeakRef<T>>, open: (item: T) => boolean) =>
      list.filter((ref) => {
        const item = ref.deref();
        return item !== undefined && open(item);
      }).length;
    return {
      peers: alive(this.#peers, (pc) => pc.connectionState !== 'closed'),
      contexts: alive(this.#contexts, (context) => context.state !== 'closed'),
      runningContexts: alive(this.#contexts, (context) => context.state === 'running'),
      tracks: alive(this.#tracks, (track) => track.readyState !== 'ended'),
      sockets: alive(this.#sockets, (socket) => socket.readyState !== WebSocket.CLOSED),
    };
  }
}

async function emulatorSessionsOpen(): Promise<number> {
  const response = await fetch(`${emulatorUrl}/_emulator/sessions`);
  const { sessions } = (await response.json()) as { sessions: Array<{ state: string }> };
  return sessions.filter((session) => session.state !== 'closed').length;
}

interface Snapshot {
  peers: number;
  contexts: number;
  runningContexts: number;
  tracks: number;
  sockets: number;
  heap: number;
  emulatorSessions: number;
}

async function snapshot(census: Census): Promise<Snapshot> {
  // Closing is asynchronous on both ends: give the last stop a moment to reach the server.
  await sleep(300);
  await collectGarbage();
  return { ...census.live(), heap: usedHeap(), emulatorSessions: await emulatorSessionsOpen() };
}

const census = new Census();
census.install();
const results: Array<{ adapter: string; before: Snapshot; after: Snapshot; cycleMs: number[]; totalMs: number; created: Census['created'] }> = [];

describe('bench: churn', () => {
  for (const adapter of ADAPTERS) {
    it(`${CYCLES} start/stop cycles (${adapter})`, async () => {
      const client = createRemoteRealtimeClient({ endpoint: routePath, adapter });
      const manager = createRealtimeManager(client, { network: { isOnline: () => true, onOnline: () => () => {} } });
      const cycle = async () => {
        await manager.startSession(QUIET);
        await manager.stopSession();
      };
      await cycle(); // warm-up: loads the adapter code
      const createdBefore = { ...census.created };
      const before = await snapshot(census);
      const cycleMs: number[] = [];
      const started = performance.now();
      for (let i = 0; i < CYCLES; i += 1) {
        const t0 = performance.now();
        await cycle();
        cycleMs.push(performance.now() - t0);
      }
      const totalMs = performance.now() - started;
      const after = await snapshot(census);
      const created = {
        peers: census.created.peers - createdBefore.peers,
        contexts: census.created.contexts - createdBefore.contexts,
        tracks: census.created.tracks - createdBefore.tracks,
        sockets: census.created.sockets - createdBefore.sockets,
      };
      results.push({ adapter, before, after, cycleMs, totalMs, created });
      await manager.dispose();
    });
  }

  after(async () => {
    const rows: Array<Array<string | number>> = [];
    // Counts: a ratio of zeros says nothing, so equal counts read "same" and growth from 0 reads "+n".
    const change = (a: number, b: number) => (a === b ? 'same' : b === 0 ? `+${a}` : ratio(a, b));
    const count = (a: number, b: number) => [String(a), String(b), change(a, b)];
    for (const { adapter, before, after, cycleMs, totalMs } of results) {
      const tag = adapter === 'openai-websocket' ? 'ws' : 'webrtc';
      rows.push([`${adapter}: ${CYCLES} cycles, ${ms(totalMs / 1000, 1).replace(' ms', ' s')} (median ${ms(median(cycleMs), 0)}/cycle)`, '', '', '']);
      if (tag === 'webrtc') rows.push(['  live RTCPeerConnection', ...count(after.peers, before.peers)]);
      if (tag === 'ws') rows.push(['  live WebSocket', ...count(after.sockets, before.sockets)]);
      rows.push(['  live AudioContext (of them running)', `${after.contexts} (${after.runningContexts})`, `${before.contexts} (${before.runningContexts})`, change(after.contexts, before.contexts)]);
      rows.push(['  live microphone MediaStreamTrack', ...count(after.tracks, before.tracks)]);
      rows.push(['  emulator sessions not closed', ...count(after.emulatorSessions, before.emulatorSessions)]);
      rows.push(['  JS heap used (after GC)', mb(after.heap), mb(before.heap), ratio(after.heap, before.heap)]);
    }
    await report(
      'churn',
      {
        title: `Churn: start/stop cycles of a real session (manager + remote client → route → emulator)`,
        headers: ['figure', 'after', 'before', 'ratio'],
        rows,
        notes: [
          'before = after one warm-up cycle, after = after the last stop; both after window.gc() (--js-flags=--expose-gc) and 300 ms of settling.',
          ...results.map(
            ({ adapter, created, cycleMs, after, before }) =>
              `${adapter}: created ${created.peers} peer connections, ${created.contexts} AudioContexts, ${created.tracks} mic tracks, ` +
              `${created.sockets} sockets; cycle p10/median/max ${ms(quantile(cycleMs, 0.1), 0)}/${ms(median(cycleMs), 0)}/${ms(Math.max(...cycleMs), 0)}; ` +
              `heap +${((after.heap - before.heap) / 1024).toFixed(0)} KB (${((after.heap - before.heap) / 1024 / CYCLES).toFixed(1)} KB/cycle)`,
          ),
        ],
      },
      {
        cycles: CYCLES,
        headline: results.flatMap(({ adapter, before, after }) => {
          const live = (s: Snapshot) => `${adapter === 'openai-websocket' ? s.sockets : s.peers}/${s.contexts}/${s.tracks}`;
          const conn = adapter === 'openai-websocket' ? 'sockets' : 'peers';
          return [
            [`${adapter}: live ${conn}/contexts/tracks after ${CYCLES} cycles`, live(after), live(before), live(after) === live(before) ? 'same' : 'grew'],
            [`${adapter}: JS heap after GC`, mb(after.heap), mb(before.heap), ratio(after.heap, before.heap)],
          ];
        }),
        results,
      },
    );
  });
});
