// The demo page: every element, a page-defined tool set through the `tools` property, an event log and
// session stats. Runs against /api/realtime (the emulator when the server has no OpenAI key).
import '../src/index.js';
import type { CharivoRealtime, RealtimeToolRegistration } from '../src/index.js';

const session = document.querySelector('charivo-realtime') as CharivoRealtime;
const log = document.querySelector('#log')!;
const stat = (name: string, value: string) => {
  document.querySelector(`[data-stat="${name}"]`)!.textContent = value;
};

const tools: RealtimeToolRegistration[] = [
  {
    definition: {
      type: 'function',
      name: 'rollDice',
      description: 'Roll a die with the given number of sides and return the result.',
      parameters: {
        type: 'object',
        properties: { sides: { type: 'integer', minimum: 2, maximum: 100 } },
        required: ['sides'],
        additionalProperties: false,
      },
    },
    handler: ({ sides }: { sides: number }) => ({ sides, result: 1 + Math.floor(Math.random() * sides) }),
  },
  {
    definition: {
      type: 'function',
      name: 'getLocalTime',
      description: "The user's local time, for greetings and scheduling.",
      parameters: { type: 'object', properties: {}, additionalProperties: false },
    },
    handler: () => ({ time: new Date().toLocaleTimeString(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
  },
];
session.tools = tools;
session.character = { name: 'Hiyori', personality: 'Cheerful, curious and brief.', voice: { voiceId: 'marin' } };

// Backend notice.
fetch('/api/demo-info')
  .then((response) => response.json())
  .then((info: { backend: string; emulatorUrl: string | null }) => {
    const backend = document.querySelector('#backend') as HTMLElement;
    backend.dataset.backend = info.backend;
    backend.textContent =
      info.backend === 'emulator'
        ? `No OPENAI_API_KEY on the server: this page talks to the local realtime emulator (${info.emulatorUrl}). Its replies are scripted and its voice is synthesized.`
        : 'Connected to OpenAI Realtime through the server route (your key stays on the server).';
  })
  .catch(() => {});

// Stats.
let startedAt = 0;
let turnAt = 0;
let waitingForAudio = false;
let turns = 0;
const usage = { input: 0, output: 0, total: 0 };
const ms = (value: number) => `${Math.round(value)} ms`;

session.addEventListener('charivo-state', (event) => {
  const { state } = event.detail;
  stat('state', `${state.session.status} / ${state.connection}${state.reconnecting ? ' (reconnecting)' : ''}`);
  if (state.session.status === 'starting' && startedAt === 0) startedAt = performance.now();
});
session.addEventListener('charivo-session-start', () => {
  if (startedAt) stat('connect', ms(performance.now() - startedAt));
  startedAt = 0;
});
const markTurn = () => {
  turnAt = performance.now();
  waitingForAudio = true;
};
session.addEventListener('charivo-user-message', markTurn);
session.addEventListener('charivo-user-transcript', (event) => {
  if (event.detail.final) markTurn();
});
session.addEventListener('charivo-assistant-start', () => {
  if (turnAt) stat('latency', ms(performance.now() - turnAt));
});
session.addEventListener('charivo-audio-start', () => {
  if (waitingForAudio && turnAt) stat('firstAudio', ms(performance.now() - turnAt));
  waitingForAudio = false;
});
session.addEventListener('charivo-assistant-done', () => stat('turns', String(++turns)));
session.addEventListener('charivo-usage', (event) => {
  // GPT-Live bills by the second: a running total, not something to add up.
  if (event.detail.usage.seconds !== undefined) stat('seconds', `${event.detail.usage.seconds.toFixed(1)} s`);
  usage.input += event.detail.usage.inputTokens ?? 0;
  usage.output += event.detail.usage.outputTokens ?? 0;
  usage.total += event.detail.usage.totalTokens ?? 0;
  stat('usage', `${usage.input} / ${usage.output} / ${usage.total}`);
});

// Event log: every charivo-* event except the per-delta and per-state stream.
const QUIET = new Set(['charivo-state', 'charivo-assistant-delta']);
const LOGGED = [
  'charivo-session-start', 'charivo-session-end', 'charivo-user-transcript', 'charivo-user-message', 'charivo-assistant-start',
  'charivo-assistant-done', 'charivo-tool-call', 'charivo-tool-result', 'charivo-tool-error', 'charivo-usage',
  'charivo-audio-start', 'charivo-audio-end', 'charivo-reconnect-attempt', 'charivo-reconnect-success',
  'charivo-reconnect-exhausted', 'charivo-delegation', 'charivo-avatar-expression', 'charivo-avatar-motion', 'charivo-avatar-gaze', 'charivo-error',
] as const;
for (const name of LOGGED) {
  if (QUIET.has(name)) continue;
  session.addEventListener(name, (event) => {
    const item = document.createElement('li');
    const detail = JSON.stringify((event as CustomEvent).detail, (key, value) => (key === 'state' || key === 'previous' || key === 'config' ? undefined : value));
    item.textContent = `${new Date().toLocaleTimeString()} ${name} ${detail?.slice(0, 160) ?? ''}`;
    log.prepend(item);
    while (log.childElementCount > 100) log.lastElementChild!.remove();
  });
}

// Engine switch: Realtime or GPT-Live. The adapter applies from the next start, so a running
// session stops first; the status line says which engine runs.
const ENGINES: Record<string, string> = { 'openai-agents-webrtc': 'Realtime', 'openai-live-webrtc': 'GPT-Live' };
const engineStatus = document.querySelector('#engine-status')!;
const showEngine = () => {
  const running = session.state.session.status === 'active' ? 'Running' : 'Next start';
  engineStatus.textContent = `${running}: ${ENGINES[session.adapter] ?? session.adapter} (${session.adapter})`;
};
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="engine"]')) {
  radio.addEventListener('change', async () => {
    if (!radio.checked) return;
    await session.stop();
    session.adapter = radio.value;
    showEngine();
  });
}
session.addEventListener('charivo-session-start', showEngine);
session.addEventListener('charivo-session-end', showEngine);

// GPT-Live delegates some tasks to the page (client delegation): this demo has nothing to look up, so it
// says so; a real page would run its own backend here.
session.addEventListener('charivo-delegation', (event) => {
  if (event.detail.target !== 'client') return;
  void session.answerDelegation(event.detail.delegationId, 'This demo has no backend of its own for that.').catch((error) => console.warn(error));
});

// "Try" buttons: start the session if needed, then send the text.
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-say]')) {
  button.addEventListener('click', async () => {
    try {
      if (session.state.session.status !== 'active') await session.start();
      await session.send(button.dataset.say!);
    } catch (error) {
      console.warn(error);
    }
  });
}

declare global {
  interface Window {
    charivoDemo: { session: CharivoRealtime };
  }
}
window.charivoDemo = { session };
