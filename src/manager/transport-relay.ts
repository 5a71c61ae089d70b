/**
 * Transport events into the manager: each is checked (transport payloads come from the network) and
 * routed to the part that owns it. Events of an ended or replaced run are dropped.
 */
import type { AssistantPhase, ConnectionLossCause, DelegationTarget, RealtimeTransportEventMap } from '../transports/types.js';
import type { ManagerCore } from './core.js';
import { toRealtimeError } from './errors.js';
import { errorMessage } from './manager-log.js';
import type { SessionRun } from './session-run.js';

export function relayTransportEvents(
  core: ManagerCore,
  run: SessionRun,
  lost: (cause: ConnectionLossCause, error?: Error) => void,
): void {
  const on = <K extends keyof RealtimeTransportEventMap>(event: K, handler: (payload: RealtimeTransportEventMap[K]) => void) => {
    run.unsubscribe.push(
      core.transport.on(event, (payload) => {
        if (run.ended || core.run !== run) return;
        try {
          handler(payload ?? ({} as RealtimeTransportEventMap[K]));
        } catch (error) {
          core.log.error('handling a transport event failed', { event, error: errorMessage(error) });
        }
      }),
    );
  };
  const { responses, audio, state } = core;
  const isId = (value: unknown): value is string => typeof value === 'string' && value !== '';

  on('session:opened', (opened) => core.config.opened(opened));
  on('connection:lost', ({ cause, error }) => lost(cause, error));
  on('user:transcript', ({ itemId, text, final }) => {
    if (typeof text !== 'string') return;
    if (final && text.trim()) core.history.push({ role: 'user', text });
    state.emit('realtime:user:transcript', { sessionId: run.id, itemId, text, final: Boolean(final) });
  });
  // The provider cancels the current response itself when the user barges in; stop ours too.
  on('user:speech-start', () => {
    core.rollover.userSpeech(true);
    audio.end('interrupted');
  });
  // The provider decided the user's turn ended: a turn's latency counts from here.
  on('user:speech-stop', () => {
    core.rollover.userSpeech(false);
    core.metrics.turnEnded('speech');
  });
  on('microphone', ({ status, error }) => core.microphone.reported(status, error));
  on('idle:timeout', ({ itemId, audioStartMs, audioEndMs }) => {
    const silenceMs = typeof audioStartMs === 'number' && typeof audioEndMs === 'number' ? audioEndMs - audioStartMs : undefined;
    state.emit('realtime:idle:timeout', {
      sessionId: run.id,
      ...(isId(itemId) ? { itemId } : {}),
      ...(silenceMs !== undefined && Number.isFinite(silenceMs) && silenceMs >= 0 ? { silenceMs } : {}),
    });
  });
  on('assistant:start', ({ responseId, phase }) => {
    // A reply started: whatever the user said is over (a stray speech-start cannot hold a rollover back).
    core.rollover.userSpeech(false);
    if (isId(responseId)) responses.start(responseId, isPhase(phase) ? phase : undefined);
  });
  on('assistant:delta', ({ responseId, delta }) => {
    if (isId(responseId) && typeof delta === 'string' && delta !== '') responses.delta(responseId, delta);
  });
  on('assistant:done', ({ responseId, text, status }) => {
    if (isId(responseId)) responses.done(responseId, typeof text === 'string' ? text : '', status);
  });
  on('tool:call', (call) => {
    const responseId = isId(call.responseId) ? call.responseId : undefined;
    if (responseId !== undefined && !responses.admitToolCall(responseId)) {
      core.log.debug('dropped a tool call of a cancelled response', { responseId, tool: call.name });
      return;
    }
    core.tools.handleCall({ ...call, responseId });
  });
  on('audio:start', ({ responseId }) => {
    const id = isId(responseId) ? responseId : undefined;
    if (id !== undefined) {
      if (responses.isClosedLocally(id)) return;
      responses.activity(id);
    }
    audio.start(id);
  });
  on('audio:end', ({ responseId, reason }) => audio.endedByTransport(reason, isId(responseId) ? responseId : undefined));
  on('lipsync', ({ level }) => audio.level(level));
  on('usage', ({ responseId, usage }) => {
    if (isId(responseId)) responses.activity(responseId);
    state.emit('realtime:usage', { sessionId: run.id, ...(isId(responseId) ? { responseId } : {}), usage });
  });
  on('delegation', ({ delegationId, target, responseId }) => {
    if (!isId(delegationId) || !isDelegationTarget(target)) {
      core.log.warn('dropped a malformed delegation event', { delegationId: String(delegationId), target: String(target) });
      return;
    }
    if (isId(responseId)) responses.activity(responseId);
    core.log.debug('delegation', { delegationId, target });
    state.emit('realtime:delegation', { sessionId: run.id, delegationId, target, ...(isId(responseId) ? { responseId } : {}) });
  });
  on('error', ({ error, code }) => {
    // The provider's cap on a session's length: expected, and recovered from without the page's help.
    if (code === 'session_expired' || codeOf(error) === 'session_expired' || (error as { providerCode?: unknown } | undefined)?.providerCode === 'session_expired') {
      core.rollover.noteExpired();
      return;
    }
    const wrapped = toRealtimeError(error, 'transport_error');
    const lastError = { code: code ?? codeOf(error) ?? wrapped.code, message: wrapped.message };
    state.set({ lastError });
    if (state.current.reconnecting) {
      // Part of the outage being handled: the reconnect's own events say how it ends.
      core.log.warn('transport error while reconnecting', { code: lastError.code, error: wrapped.message, reconnecting: true });
      return;
    }
    core.log.warn('transport error', { code: lastError.code, error: wrapped.message });
    state.emit('realtime:error', { sessionId: run.id, error: wrapped });
  });
}

const isPhase = (value: unknown): value is AssistantPhase => value === 'commentary' || value === 'final';
const isDelegationTarget = (value: unknown): value is DelegationTarget => value === 'client' || value === 'responses' || value === 'decisions';

/** The `code` an error carries, when it has a string one. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}
