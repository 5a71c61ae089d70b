/**
 * `<charivo-avatar>`: a character that speaks with the assistant's voice. It follows the session's
 * output level with its mouth, and with `avatar-tools` lets the model change its face and gestures.
 */
import { html, LitElement, type PropertyValues, type ReactiveControllerHost } from 'lit';
import { property } from 'lit/decorators.js';
import type { AvatarEffect } from '../../avatar/effects.js';
import type { AvatarConnectionLook, AvatarRenderer } from '../../avatar/renderer.js';
import { createSvgAvatarRenderer } from '../../avatar/svg/svg-renderer.js';
import { clampUnit } from '../../avatar/catalog.js';
import { AudioLevelController } from '../../controllers/audio-level-controller.js';
import { SessionConsumerController } from '../../controllers/session-consumer-controller.js';
import type { CharivoSession } from '../session-context.js';
import { connectionLook } from '../shared/connection-look.js';
import {
  checkBoolean,
  checkIdReference,
  checkString,
  describeValue,
  rejectInvalidInputs,
  reportInputError,
  type InputRules,
} from '../shared/input-errors.js';
import { CharivoAvatarReadyEvent } from './avatar-ready-event.js';
import { AvatarSessionBinding } from './avatar-session-binding.js';
import { avatarStyles } from './avatar.styles.js';

/**
 * The level controller asks its host to update on every new level; the mouth is written straight to the
 * renderer instead, so its host is this stand-in whose `requestUpdate` does nothing.
 */
function quietHost(host: ReactiveControllerHost): ReactiveControllerHost {
  return {
    addController: (controller) => host.addController(controller),
    removeController: (controller) => host.removeController(controller),
    requestUpdate: () => undefined,
    get updateComplete() {
      return host.updateComplete;
    },
  };
}

const CONNECTION_LABELS: Record<AvatarConnectionLook, string> = { ok: '', reconnecting: 'reconnecting', lost: 'connection lost' };

const RENDERER_METHODS = ['mount', 'setMouthOpen', 'setExpression', 'playMotion', 'lookAt', 'dispose'] as const;

/** What is wrong with `value` as an {@link AvatarRenderer}, or `null`. */
function rendererProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `renderer must be an AvatarRenderer object, got ${describeValue(value)}`;
  const renderer = value as Record<string, unknown>;
  const missing = RENDERER_METHODS.filter((method) => typeof renderer[method] !== 'function');
  if (missing.length) return `renderer must implement AvatarRenderer (missing ${missing.join(', ')})`;
  for (const optional of ['setReducedMotion', 'blink', 'setConnection']) {
    if (renderer[optional] !== undefined && typeof renderer[optional] !== 'function') return `renderer.${optional} must be a function when present`;
  }
  const catalog = renderer.catalog as { expressions?: unknown; motions?: unknown } | null | undefined;
  if (typeof catalog !== 'object' || catalog === null) return 'renderer.catalog must be an object with expressions and motions';
  if (!Array.isArray(catalog.expressions) || catalog.expressions.some((id) => typeof id !== 'string')) {
    return 'renderer.catalog.expressions must be an array of strings';
  }
  const motions = catalog.motions;
  const motionsOk = Array.isArray(motions)
    ? motions.every((id) => typeof id === 'string')
    : typeof motions === 'object' && motions !== null && Object.values(motions).every((count) => typeof count === 'number');
  return motionsOk ? null : 'renderer.catalog.motions must be an array of ids or a map from id to a number of variants';
}

/**
 * @summary An animated character whose mouth follows the assistant's voice and whose face and gestures
 * the model can control with tools.
 * @tag charivo-avatar
 *
 * A lost connection shows on the avatar with a look of its own, not an expression of the catalog (the
 * model cannot pick it): while the session reconnects, and after it stopped trying, the host carries
 * `connection="reconnecting"` or `connection="lost"`, the accessible name says so, the stage is dimmed
 * (`--charivo-avatar-offline-filter`) and the built-in face closes its eyes and stops breathing (a
 * renderer may draw its own through `setConnection`). Once connected again the face is as it was.
 *
 * @attr connection - Reflected, read-only: `reconnecting` or `lost` while the connection is not ok (absent otherwise).
 * @fires {CharivoAvatarReadyEvent} charivo-avatar-ready - A renderer was mounted (connect or swap); `detail.renderer`.
 * @fires {CharivoEvent} charivo-error - An invalid attribute or property value, such as an expression the renderer lacks or a renderer that is not one (detail: code, message, source); the previous value is kept.
 *
 * @csspart base - The `role="img"` box the renderer draws into.
 * @csspart svg - The built-in face's `<svg>`.
 * @csspart background - The built-in face's backdrop.
 * @csspart character - The moving part of the built-in character (body and head).
 * @csspart body - The shoulders.
 * @csspart head - The head with its features.
 * @csspart hair - The hair.
 * @csspart brows - Both eyebrows.
 * @csspart eyes - Both eyes.
 * @csspart pupil - Each pupil (follows the gaze).
 * @csspart blush - The cheeks.
 * @csspart mouth - The mouth (opens with the voice).
 * @csspart cue - The ring that pulses instead of a motion under reduced motion.
 * @csspart sprite - The `<img>` of the sprite renderer.
 *
 * @cssprop [--charivo-avatar-size=12rem] - Width (and height) of the avatar.
 * @cssprop [--charivo-avatar-radius=1.5rem] - Corner radius of the box.
 * @cssprop [--charivo-avatar-background=#edf1f8] - Backdrop (dark scheme: #2c3447).
 * @cssprop [--charivo-avatar-skin=#ffdcc2] - Skin of the built-in face (dark scheme: #e6b899).
 * @cssprop [--charivo-avatar-ink=#2a2a3c] - Lines, hair and pupils (dark scheme: #1a1a25).
 * @cssprop [--charivo-avatar-accent=#ff7d92] - Clothes, cheeks and the reduced-motion cue (dark scheme: #ff97a8).
 * @cssprop [--charivo-avatar-offline-filter=grayscale(0.85) opacity(0.7)] - Filter on the stage while the connection is being recovered or lost.
 */
export class CharivoAvatar extends LitElement {
  static override styles = avatarStyles;

  /** With it, the avatar registers its expression, motion and gaze tools with the session's manager. */
  @property({ type: Boolean, attribute: 'avatar-tools' }) avatarTools = false;

  /**
   * The expression shown (one of the renderer's catalog, any case); set by the page, by the model's tool
   * calls and by `avatar:*` events.
   */
  @property({ reflect: true }) expression: string | undefined;

  /** Accessible name (not empty); the current expression is appended in parentheses. */
  @property() label = 'Assistant avatar';

  /** Id of a `<charivo-realtime>` (or any element with a `session`) to bind to instead of an ancestor. */
  @property({ attribute: 'for' }) htmlFor: string | null = null;

  #renderer: AvatarRenderer | undefined;
  #mounted: AvatarRenderer | undefined;
  #shown: string | undefined;
  #intensity = 1;
  #gaze: [number, number] | undefined;
  #binding: AvatarSessionBinding | undefined;
  #media: MediaQueryList | undefined;
  #reduced = false;

  readonly #inputs: InputRules = {
    avatarTools: { check: checkBoolean('avatar-tools'), initial: false, attribute: 'avatar-tools', nullResets: true },
    expression: {
      check: (value) =>
        typeof value !== 'string'
          ? `expression must be a string, got ${describeValue(value)}`
          : this.#resolveExpression(value)
            ? null
            : `expression "${value.slice(0, 40)}" is not in the renderer's catalog: ${this.renderer.catalog.expressions.join(', ')}`,
      initial: undefined,
      attribute: 'expression',
      nullResets: true,
    },
    label: { check: checkString('label', { nonEmpty: true }), initial: 'Assistant avatar', attribute: 'label', nullResets: true },
    htmlFor: { check: checkIdReference('for'), initial: null, attribute: 'for' },
  };

  // Only the connection look depends on session state: re-render when it changes, never otherwise.
  readonly #session = new SessionConsumerController<AvatarConnectionLook>(this, {
    select: (session) => connectionLook(session.state),
    onSessionChange: (session) => this.#bindSession(session),
  });

  #connection: AvatarConnectionLook = 'ok';

  readonly #level = new AudioLevelController(quietHost(this), {
    precision: 50,
    onChange: (value) => this.#mounted?.setMouthOpen(value),
  });

  /**
   * What draws the character; the built-in SVG face unless set (`null` or `undefined` bring it back).
   * Replacing it disposes the old one. A value that does not implement `AvatarRenderer` is refused
   * with a `charivo-error` and the current renderer stays.
   */
  get renderer(): AvatarRenderer {
    return (this.#renderer ??= createSvgAvatarRenderer());
  }
  set renderer(value: AvatarRenderer) {
    const old = this.#renderer;
    if (value === old) return;
    if (value === null || value === undefined) {
      // Back to the built-in face (a new one: the old renderer is disposed when the new one mounts).
      if (old === undefined) return;
      value = createSvgAvatarRenderer();
    } else {
      const problem = rendererProblem(value);
      if (problem) {
        reportInputError(this, { code: 'invalid_property', source: 'renderer', message: problem });
        return;
      }
    }
    this.#renderer = value;
    this.requestUpdate('renderer', old);
  }

  /**
   * How the session's connection looks: `ok`, `reconnecting` (a lost connection is being recovered) or
   * `lost` (no connection, and the session stopped trying). Reflected as the `connection` attribute
   * (absent when `ok`) for CSS.
   */
  get connection(): AvatarConnectionLook {
    return this.#connection;
  }

  /** The session this avatar follows, if any. */
  get session(): CharivoSession | undefined {
    return this.#session.session;
  }

  /** Shows `id` (an expression of the renderer's catalog, matched case-insensitively) at `intensity` in [0, 1]. */
  setExpression(id: string, intensity = 1): void {
    const resolved = this.#resolveExpression(id);
    if (!resolved) return;
    this.#intensity = Number.isFinite(intensity) ? Math.min(1, Math.max(0, intensity)) : 1;
    this.#shown = resolved;
    this.expression = resolved;
    this.#mounted?.setExpression(resolved, this.#intensity);
    this.requestUpdate();
  }

  /** Plays a motion of the renderer's catalog; resolves when it ends (at once when not mounted). */
  async playMotion(id: string, index = 0): Promise<void> {
    await this.#mounted?.playMotion(id, index);
  }

  /** Points the eyes: `x` -1 (left) … 1 (right), `y` -1 (up) … 1 (down). */
  lookAt(x: number, y: number): void {
    this.#gaze = [clampUnit(x), clampUnit(y)];
    this.#mounted?.lookAt(...this.#gaze);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#media = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');
    this.#media?.addEventListener('change', this.#onMediaChange);
    this.#onMediaChange();
    // A moved element is not re-rendered, so its renderer is mounted again here.
    if (this.hasUpdated) this.#mountRenderer();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#media?.removeEventListener('change', this.#onMediaChange);
    this.#media = undefined;
    this.#mounted?.dispose();
    this.#mounted = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    rejectInvalidInputs(this, changed, this.#inputs);
    if (changed.has('htmlFor')) {
      // The controller reads the attribute, so it is written here, before the controller looks.
      if (this.htmlFor === null) this.removeAttribute('for');
      else this.setAttribute('for', this.htmlFor);
      this.#session.refresh();
    }
    const rendererChanged = changed.has('renderer' as keyof CharivoAvatar);
    if (rendererChanged || (changed.has('expression') && this.expression !== this.#shown)) {
      this.#resolveShown(changed.has('expression'), rendererChanged);
    }
    this.#updateConnection();
  }

  protected override render() {
    const state = CONNECTION_LABELS[this.#connection] || this.#shown;
    const label = state ? `${this.label} (${state})` : this.label;
    return html`<div part="base" class="stage" role="img" aria-label=${label}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.#mountRenderer();
    if (changed.has('avatarTools')) this.#syncTools();
  }

  /** Matches the `expression` property against the catalog (before render, so the label agrees). */
  #resolveShown(fromProperty: boolean, rendererChanged: boolean): void {
    if (this.expression === undefined) {
      this.#shown = undefined;
      this.#intensity = 1;
      const fallback = this.#defaultExpression();
      if (fallback) this.#mounted?.setExpression(fallback, 1);
      return;
    }
    const resolved = this.#resolveExpression(this.expression);
    if (!resolved) {
      // Unknown to this renderer: keep the face as it is, but never name an expression it lacks.
      if (rendererChanged) this.#shown = undefined;
      return;
    }
    if (fromProperty) this.#intensity = 1;
    this.#shown = resolved;
    this.expression = resolved;
    if (!rendererChanged) this.#mounted?.setExpression(resolved, this.#intensity);
  }

  #mountRenderer(): void {
    const next = this.renderer;
    const container = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (!container || !this.isConnected || next === this.#mounted) return;
    this.#mounted?.dispose();
    this.#mounted = next;
    next.setReducedMotion?.(this.#reduced);
    next.mount(container);
    next.setMouthOpen(this.#level.value);
    const expression = this.#shown ?? this.#defaultExpression();
    if (expression) next.setExpression(expression, this.#shown ? this.#intensity : 1);
    if (this.#gaze) next.lookAt(...this.#gaze);
    if (this.#connection !== 'ok') next.setConnection?.(this.#connection);
    this.#syncTools();
    this.dispatchEvent(new CharivoAvatarReadyEvent(next));
  }

  /** Follows the session's connection look: host attribute, renderer look, accessible name. */
  #updateConnection(): void {
    const session = this.#session.session;
    const look = session ? connectionLook(session.state) : 'ok';
    if (look === this.#connection) return;
    this.#connection = look;
    if (look === 'ok') this.removeAttribute('connection');
    else this.setAttribute('connection', look);
    this.#mounted?.setConnection?.(look);
  }

  #bindSession(session: CharivoSession | undefined): void {
    this.#binding?.dispose();
    this.#binding = session ? new AvatarSessionBinding(session.manager, (effect) => this.#apply(effect)) : undefined;
    this.#level.setSource(session?.levels.output);
    this.#syncTools();
  }

  #syncTools(): void {
    this.#binding?.setTools(this.avatarTools && this.isConnected ? this.renderer.catalog : undefined);
  }

  #apply(effect: AvatarEffect): void {
    switch (effect.event) {
      case 'avatar:expression':
        return this.setExpression(effect.payload.expressionId, effect.payload.intensity);
      case 'avatar:motion':
        return void this.playMotion(effect.payload.motionId, effect.payload.index);
      case 'avatar:gaze':
        return this.lookAt(effect.payload.x, effect.payload.y);
    }
  }

  #resolveExpression(id: string): string | undefined {
    const expressions = this.renderer.catalog.expressions;
    if (expressions.includes(id)) return id;
    const lower = id.toLowerCase();
    return expressions.find((candidate) => candidate.toLowerCase() === lower);
  }

  #defaultExpression(): string | undefined {
    const expressions = this.renderer.catalog.expressions;
    return expressions.includes('neutral') ? 'neutral' : expressions[0];
  }

  readonly #onMediaChange = (): void => {
    this.#reduced = this.#media?.matches ?? false;
    this.#mounted?.setReducedMotion?.(this.#reduced);
  };
}
