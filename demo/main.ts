// The demo page, one screen that teaches: the three steps (the current one marked), both sides of the
// conversation (input transcription on), a push-to-talk switch, suggestions that say what they do,
// the device picker, the session's figures, and an event log folded away for developers. Runs
// against /api/realtime (the embedded emulator when the server has no OpenAI key).
import '../src/index.js';
import type { CharivoRealtime, RealtimeState, RealtimeToolRegistration } from '../src/index.js';

const session = document.querySelector('charivo-realtime') as CharivoRealtime;

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
// Both sides of a spoken conversation: without input transcription only the assistant's words show.
session.sessionConfig = { inputTranscription: { model: 'gpt-4o-mini-transcribe' } };

// ── which backend answers ─────────────────────────────────────────────────────────────────────
fetch('/api/demo-info')
  .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
  .then((info: { backend: string; emulatorUrl: string | null }) => {
    const backend = document.querySelector('#backend') as HTMLElement;
    backend.dataset.backend = info.backend;
    backend.textContent =
      info.backend === 'emulator'
        ? 'No OpenAI key on the server: this page talks to the local realtime emulator. Its replies are scripted and its voice is synthesized.'
        : 'Connected to OpenAI Realtime through the server route (your key stays on the server).';
  })
  .catch(() => {
    const backend = document.querySelector('#backend') as HTMLElement;
    backend.textContent = 'This page talks to the realtime route at /api/realtime.';
  });

// ── the steps: mark the one the user is at ────────────────────────────────────────────────────
function currentStep(state: RealtimeState): 'start' | 'allow' | 'talk' {
  if (state.session.status === 'starting') return 'allow';
  if (state.session.status === 'active') return 'talk';
  return 'start';
}
function markStep(state: RealtimeState): void {
  const step = currentStep(state);
  for (const item of document.querySelectorAll<HTMLElement>('#steps [data-step]')) {
    if (item.dataset.step === step) item.setAttribute('aria-current', 'step');
    else item.removeAttribute('aria-current');
  }
}
markStep(session.state);
session.addEventListener('charivo-state', (event) => markStep(event.detail.state));

// ── push-to-talk switch ───────────────────────────────────────────────────────────────────────
const pushToTalk = document.querySelector('#push-to-talk') as HTMLInputElement;
pushToTalk.checked = session.pushToTalk;
pushToTalk.addEventListener('change', () => {
  session.pushToTalk = pushToTalk.checked;
});

// ── suggestions: start if needed, then say the sentence the button shows ─────────────────────
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-say]')) {
  button.addEventListener('click', async () => {
    try {
      if (session.state.session.status !== 'active') await session.start();
      await session.send(button.dataset.say!);
    } catch {
      // The controls' status line shows why (a refused microphone, a reply still running, …).
    }
  });
}

// ── engine switch: Realtime or GPT-Live ──────────────────────────────────────────────────────
// The adapter applies from the next start, so a running session stops first; the status says which runs.
const ENGINES: Record<string, string> = { 'openai-agents-webrtc': 'Realtime', 'openai-websocket': 'Realtime', 'openai-live-webrtc': 'GPT-Live' };
const engineStatus = document.querySelector('#engine-status')!;
const showEngine = () => {
  const running = session.state.session.status === 'active' ? 'Running' : 'Next start';
  // activeAdapter: where the browser has no WebRTC, Realtime runs over WebSocket (fallback-adapter).
  const adapter = session.activeAdapter;
  engineStatus.textContent = `${running}: ${ENGINES[adapter] ?? adapter} (${adapter})`;
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

// ── figures: <charivo-metrics> when the kit has it, else the page's own ───────────────────────
const metrics = document.querySelector('#metrics')!;
const stats = document.querySelector('#stats')!;
if (customElements.get('charivo-metrics')) stats.remove();
else {
  metrics.remove();
  followStats();
}

function followStats(): void {
  const stat = (name: string, value: string) => {
    document.querySelector(`[data-stat="${name}"]`)!.textContent = value;
  };
  const ms = (value: number) => `${Math.round(value)} ms`;
  let startedAt = 0;
  let turnAt = 0;
  let waitingForAudio = false;
  const usage = { input: 0, output: 0 };
  session.addEventListener('charivo-state', (event) => {
    if (event.detail.state.session.status === 'starting' && startedAt === 0) startedAt = performance.now();
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
  session.addEventListener('charivo-usage', (event) => {
    // GPT-Live bills by the second: a running total, not something to add up.
    if (event.detail.usage.seconds !== undefined) stat('seconds', `${event.detail.usage.seconds.toFixed(1)} s`);
    usage.input += event.detail.usage.inputTokens ?? 0;
    usage.output += event.detail.usage.outputTokens ?? 0;
    stat('usage', `${usage.input} / ${usage.output}`);
  });
}

// ── event log: every charivo-* event but the per-delta stream, newest first ───────────────────
const log = document.querySelector('#log')!;
const LOGGED = [
  'charivo-session-start', 'charivo-session-end', 'charivo-user-transcript', 'charivo-user-message', 'charivo-assistant-start',
  'charivo-assistant-done', 'charivo-tool-call', 'charivo-tool-result', 'charivo-tool-error', 'charivo-usage',
  'charivo-audio-start', 'charivo-audio-end', 'charivo-reconnect-attempt', 'charivo-reconnect-success',
  'charivo-reconnect-exhausted', 'charivo-delegation', 'charivo-avatar-expression', 'charivo-avatar-motion', 'charivo-avatar-gaze', 'charivo-error',
] as const;
for (const name of LOGGED) {
  session.addEventListener(name, (event) => {
    const item = document.createElement('li');
    const detail = JSON.stringify((event as CustomEvent).detail, (key, value) => (key === 'state' || key === 'previous' || key === 'config' ? undefined : value));
    item.textContent = `${new Date().toLocaleTimeString()} ${name} ${detail?.slice(0, 160) ?? ''}`;
    log.prepend(item);
    while (log.childElementCount > 100) log.lastElementChild!.remove();
  });
}

declare global {
  interface Window {
    charivoDemo: { session: CharivoRealtime };
  }
}
window.charivoDemo = { session };
