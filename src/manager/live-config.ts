/**
 * The session's configuration while it lives: the base config and its pending patches, the character
 * and the tool registry; what the next connect sends (always the whole effective config); live
 * updates, coalesced, each logged as sent, applied, or refused and rolled back (field names only).
 *
 * `update`, `setCharacter` and `registerTool` take changes that were already validated by the
 * manager's entry points; nothing here sends a change that did not pass them. The server's policy over
 * the running session (policy-lock.ts) refuses a change it owns here, before anything is queued or sent,
 * and shapes what is sent: live updates carry the running session's owned fields, and a reconnect asks
 * the route for the page's part only.
 */
import type { SessionOpened } from '../session/session-policy.js';
import type { RealtimeTransport } from '../transports/types.js';
import { RealtimeUpdateError } from './errors.js';
import { frozenJsonCopy } from './freeze.js';
import { buildRealtimeSessionConfig } from './instructions.js';
import { errorMessage, type ManagerLog } from './manager-log.js';
import type { RealtimeFunctionToolDefinition, RealtimeSessionConfig } from './session-config.js';
import { PolicyLock } from './policy-lock.js';
import { CoalescingRunner, mergeSessionConfig, SessionConfigStore } from './session-config-store.js';
import type { SessionRun } from './session-run.js';
import type { StateStore } from './state-store.js';
import { ToolRegistry, withPin, type RegisteredTool } from './tool-registry.js';
import type { RealtimeCharacter, RealtimeToolRegistration } from './types.js';

/** What the live config needs from the manager. */
export interface LiveConfigHost {
  transport: RealtimeTransport;
  state: StateStore;
  log: ManagerLog;
  /** The current run, if any. */
  run(): SessionRun | null;
  /** True while a rollover switches sessions: live changes wait (they stay pending) until it is done. */
  paused?(): boolean;
}

/** Patches carried by one send (a live update or a connect). */
export type IncludedPatches = ReturnType<SessionConfigStore['take']>;

export class LiveConfig {
  readonly registry = new ToolRegistry();
  #store: SessionConfigStore;
  #character: RealtimeCharacter | null;
  /** Changes outside the patches (tools, character) not yet sent to the live session. */
  #dirty = new Set<'tools' | 'character' | 'session'>();
  #refresher = new CoalescingRunner(() => this.#applyLive());
  /** The server's policy over the running session; inactive between sessions. */
  #lock = new PolicyLock();
  /** The page's effective config of the last (re)connect: what the route judged. */
  #connectedWith: RealtimeSessionConfig = {};

  constructor(
    private readonly host: LiveConfigHost,
    base: RealtimeSessionConfig,
    character: RealtimeCharacter | null,
  ) {
    this.#store = new SessionConfigStore(withoutTools(base));
    this.#character = character;
  }

  get character(): RealtimeCharacter | null {
    return this.#character;
  }

  /** The effective config (base + patches + character + registry tools) as the wire carries it, frozen. */
  effective(): RealtimeSessionConfig {
    return this.#compose();
  }

  #compose(base = this.#store.requested(), character = this.#character, tools = this.registry.definitions()): RealtimeSessionConfig {
    const withCharacter = character ? buildRealtimeSessionConfig({ character, baseConfig: base }) : { ...base };
    return frozenJsonCopy({ ...withCharacter, tools });
  }

  // ── the server's policy (from the transport's session:opened) ─────────────────────────────────

  /** A connection opened: its session and policy rule the page's changes from now on. */
  opened(opened: SessionOpened): void {
    this.#lock.open(opened);
  }

  /** What runs for the page's effective config: the running session's owned fields kept. */
  running(config: RealtimeSessionConfig = this.effective()): RealtimeSessionConfig {
    return frozenJsonCopy(this.#lock.wire(config));
  }

  /** What a reconnect asks the route for: the page's live changes the policy allows, its own instructions only. */
  forReconnect(config: RealtimeSessionConfig): RealtimeSessionConfig {
    return this.#lock.request(config);
  }

  /** A (re)connect succeeded with `config`, the page's effective config the route judged. */
  connectedWith(config: RealtimeSessionConfig): void {
    this.#connectedWith = config;
  }

  tools(): RealtimeFunctionToolDefinition[] {
    return this.registry.definitions();
  }

  /**
   * Registered tool `name` as the running session carries it: with the server's pinned description
   * and parameters when its policy pins them, so the model's arguments are validated against the
   * schema the model saw, not the page's.
   */
  toolAsSent(name: string): RegisteredTool | undefined {
    const tool = this.registry.get(name);
    return tool && withPin(tool, this.#lock.pinFor(name));
  }

  // ── changes (validated by the caller) ───────────────────────────────────────────────────────

  /** Applies a base config given to `startSession()`. */
  cache(config: RealtimeSessionConfig): void {
    this.#store.cache(withoutTools(config));
  }

  /** A patch: cached while inactive, sent live when connected, carried by the (re)connect otherwise. */
  update(patch: RealtimeSessionConfig): Promise<void> {
    const clean = withoutTools(patch);
    const { session, connection } = this.host.state.current;
    if (session.status !== 'active' && session.status !== 'starting') {
      this.#store.cache(clean);
      return Promise.resolve();
    }
    this.#lock.check(this.effective(), this.#compose(mergeSessionConfig(this.#store.requested(), clean)), 'updateSession');
    const applied = this.#store.enqueue(clean);
    if (session.status === 'active' && connection === 'connected') this.#request();
    return applied;
  }

  setCharacter(character: RealtimeCharacter | null): void {
    // A character builds instructions and may pick a voice: both are the policy's to allow.
    this.#lock.check(this.effective(), this.#compose(undefined, character), 'setCharacter');
    this.#character = character;
    this.#markChanged('character');
  }

  registerTool(tool: RealtimeToolRegistration): void {
    if (this.#lock.active) this.#checkTool(tool);
    this.registry.register(tool);
    this.#markChanged('tools');
  }

  unregisterTool(name: string): boolean {
    const removed = this.registry.unregister(name);
    if (removed) this.#markChanged('tools');
    return removed;
  }

  // ── connects ────────────────────────────────────────────────────────────────────────────────

  /** The pending patches a connect is about to carry (logged as sent). */
  takeForConnect(via: 'start' | 'reconnect' | 'rollover'): IncludedPatches {
    const included = this.#store.take();
    this.#dirty.clear();
    if (included.length) this.host.log.info('session update sent', { fields: fieldsOf(included), patches: included.length, via });
    return included;
  }

  accepted(included: IncludedPatches): void {
    this.#store.accept(included);
    if (included.length) this.host.log.info('session update applied', { fields: fieldsOf(included) });
  }

  refused(included: IncludedPatches, error: Error, cause: unknown, fields = fieldsOf(included)): void {
    this.#store.reject(included, error);
    if (!fields.length) return;
    this.host.log.warn('session update refused', { fields, error: errorMessage(cause) });
    this.host.log.info('session update rolled back', { fields, patches: included.length });
  }

  /** A connect failed without refusing the config: its patches wait for the next attempt. */
  requeue(included: IncludedPatches): void {
    this.#store.requeue(included);
  }

  /** The session ended: outstanding patches stay for the next start. */
  endSession(): void {
    this.#lock.clear();
    this.#store.foldAll();
    this.#dirty.clear();
  }

  /** A new provider session may lack changes the old one got while it was prepared: send the whole config. */
  resync(): void {
    this.#dirty.add('session');
    this.#request();
  }

  /** After a (re)connect: sends what changed while it was connecting. */
  refreshIfPending(): void {
    if (this.#store.hasPending || this.#dirty.size > 0) this.#request();
  }

  /** A reply ended: a tools or character change deferred for it may go now. */
  afterResponseSettled(): void {
    const { busy, connection } = this.host.state.current;
    if (this.#dirty.size > 0 && !busy && connection === 'connected') this.#request();
  }

  /** Refuses a tool the running session's policy does not allow (checked as the registry would hold it). */
  #checkTool(tool: RealtimeToolRegistration): void {
    const probe = new ToolRegistry();
    probe.register(tool);
    const definition = probe.definitions()[0]!;
    const tools = this.registry.definitions();
    const index = tools.findIndex((existing) => existing.name === definition.name);
    if (index >= 0) tools[index] = definition;
    else tools.push(definition);
    this.#lock.check(this.effective(), this.#compose(undefined, undefined, tools), 'registerTool');
  }

  /**
   * Patches queued before the session opened (its policy unknown then) are judged now, against the
   * config the route judged; the refused ones reject with `policy_locked` and are not sent.
   */
  #screen(entries: IncludedPatches): IncludedPatches {
    if (!this.#lock.active) return entries;
    return entries.filter((entry) => {
      try {
        this.#lock.check(this.#connectedWith, mergeSessionConfig(this.#connectedWith, entry.patch), 'updateSession');
        return true;
      } catch (error) {
        this.#store.reject([entry], error as Error);
        return false;
      }
    });
  }

  // ── live updates ────────────────────────────────────────────────────────────────────────────

  /** A tools or character change reaches a live session once no reply is outstanding. */
  #markChanged(what: 'tools' | 'character'): void {
    const { session, connection, busy } = this.host.state.current;
    if (session.status !== 'active' && session.status !== 'starting') return;
    this.#dirty.add(what);
    if (session.status === 'active' && connection === 'connected' && !busy) this.#request();
  }

  #request(): void {
    this.#refresher.request().catch(() => {
      // Reported through realtime:error and the patches' own promises.
    });
  }

  async #applyLive(): Promise<void> {
    const run = this.host.run();
    if (!run || run.ended || this.host.state.current.connection !== 'connected' || this.host.paused?.()) return;
    const changed = [...this.#dirty].filter((what) => what !== 'session');
    this.#dirty.clear();
    const included = this.#screen(this.#store.take());
    const config = this.running();
    const fields = [...new Set([...fieldsOf(included), ...changed])].sort();
    this.host.log.info('session update sent', { fields, patches: included.length });
    try {
      await this.host.transport.updateSession(config);
    } catch (error) {
      if (run.ended || this.host.run() !== run) return;
      const failure = new RealtimeUpdateError(`session update refused: ${errorMessage(error)}`, { cause: error });
      this.refused(included, failure, error, fields);
      this.host.state.batch(() => {
        this.host.state.set({ lastError: { code: failure.code, message: failure.message } });
        this.host.state.emit('realtime:error', { sessionId: run.id, error: failure });
      });
      throw failure;
    }
    if (run.ended || this.host.run() !== run) return;
    this.#store.accept(included);
    this.host.log.info('session update applied', { fields });
    this.host.state.set({ session: { ...this.host.state.current.session, config } });
  }
}

/** The fields a set of patches touches, sorted: logged instead of values. */
function fieldsOf(included: IncludedPatches): string[] {
  return [...new Set(included.flatMap((entry) => Object.keys(entry.patch)))].sort();
}

/** Tools come only from the registry: a `tools` field in a config is dropped. */
function withoutTools(config: RealtimeSessionConfig): RealtimeSessionConfig {
  if (!('tools' in config)) return config;
  const { tools: _ignored, ...rest } = config;
  return rest;
}
