/**
 * What `<charivo-avatar>` attaches to its session's manager: the avatar tools (while `avatar-tools` is
 * on), and the listeners that turn tool results and `avatar:*` events into avatar effects. One effect
 * may arrive twice (the tool result, then a page-wired projector's event); it is applied once.
 */
import type { AvatarCatalog } from '../../avatar/catalog.js';
import {
  avatarEffectFromEvent,
  avatarEffectFromToolResult,
  DEFAULT_AVATAR_TOOL_NAMES,
  type AvatarEffect,
} from '../../avatar/effects.js';
import { createAvatarControlTools } from '../../avatar/tools.js';
import type { RealtimeManager } from '../../manager/types.js';

/** Events that carry avatar effects: ours, and the names Charivo's projector uses. */
const EFFECT_EVENTS = [
  'avatar:expression',
  'avatar:motion',
  'avatar:gaze',
  'realtime:expression',
  'realtime:motion',
  'realtime:gaze',
] as const;

/** How many recent call ids are remembered for de-duplication (a response makes only a few calls). */
const SEEN_LIMIT = 64;

const TOOL_NAMES = new Set<string>(Object.values(DEFAULT_AVATAR_TOOL_NAMES));

export class AvatarSessionBinding {
  #offs: Array<() => void> = [];
  #offResults: (() => void) | undefined;
  /** Tools this binding registered (a page's own registration of the same name is left alone). */
  #registered: string[] = [];
  #catalog: AvatarCatalog | undefined;
  #seen: string[] = [];
  /** The effect just applied from a tool result, for matching a projector event that lacks `callId`. */
  #justApplied: string | undefined;

  constructor(
    private readonly manager: RealtimeManager,
    private readonly apply: (effect: AvatarEffect) => void,
  ) {
    for (const event of EFFECT_EVENTS) {
      this.#offs.push(manager.on(event, (payload: unknown) => this.#onEvent(event, payload)));
    }
  }

  /** The names this binding registered with the manager. */
  get registeredTools(): readonly string[] {
    return this.#registered;
  }

  /** Registers the tools for `catalog` (replacing this binding's earlier ones), or removes them with `undefined`. */
  setTools(catalog: AvatarCatalog | undefined): void {
    // Each (un)registration makes the manager refresh a live session: skip when nothing changed.
    if (catalog === this.#catalog) return;
    this.#unregister();
    this.#catalog = catalog;
    if (!catalog) return;
    const taken = new Set(this.manager.getRegisteredTools().map((tool) => tool.name));
    for (const tool of createAvatarControlTools(catalog)) {
      if (taken.has(tool.definition.name)) continue;
      this.manager.registerTool(tool);
      this.#registered.push(tool.definition.name);
    }
    this.#offResults = this.manager.on('realtime:tool:result', ({ callId, name, result }) => {
      if (!TOOL_NAMES.has(name)) return;
      const effect = avatarEffectFromToolResult(name, result, { callId });
      if (!effect || !this.#firstSight(callId)) return;
      // Projectors run synchronously right after this event; only they may match a callId-less repeat.
      const key = effectKey(effect);
      this.#justApplied = key;
      queueMicrotask(() => {
        if (this.#justApplied === key) this.#justApplied = undefined;
      });
      this.apply(effect);
    });
  }

  /** Removes the tools and every listener. */
  dispose(): void {
    this.#unregister();
    for (const off of this.#offs) off();
    this.#offs = [];
  }

  #unregister(): void {
    this.#catalog = undefined;
    this.#offResults?.();
    this.#offResults = undefined;
    for (const name of this.#registered) this.manager.unregisterTool(name);
    this.#registered = [];
  }

  #onEvent(event: string, payload: unknown): void {
    const effect = avatarEffectFromEvent(event, payload);
    if (!effect) return;
    const callId = effect.payload.callId;
    if (callId !== undefined) {
      if (!this.#firstSight(callId)) return;
    } else if (this.#justApplied !== undefined && this.#justApplied === effectKey(effect)) {
      this.#justApplied = undefined;
      return;
    }
    this.apply(effect);
  }

  /** Records `callId`; false when it was already seen. */
  #firstSight(callId: string): boolean {
    if (this.#seen.includes(callId)) return false;
    this.#seen.push(callId);
    if (this.#seen.length > SEEN_LIMIT) this.#seen.shift();
    return true;
  }
}

function effectKey(effect: AvatarEffect): string {
  const { callId: _callId, ...rest } = effect.payload;
  return JSON.stringify([effect.event, rest]);
}
