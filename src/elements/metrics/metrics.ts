import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { SessionConsumerController } from '../../controllers/session-consumer-controller.js';
import type { RealtimeMetrics } from '../../manager/index.js';
import type { CharivoSession } from '../session-context.js';
import { checkIdReference, checkString, rejectInvalidInputs, type InputRules } from '../shared/input-errors.js';
import { metricsStyles } from './metrics.styles.js';

const INPUTS: InputRules = {
  for: { check: checkIdReference('for'), initial: null, attribute: 'for' },
  label: { check: checkString('label', { nonEmpty: true }), initial: 'Session metrics', attribute: 'label', nullResets: true },
};

/** Milliseconds as people read them: `640 ms`, `2.4 s`; `—` when not measured. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A cost in USD with enough digits to see small amounts move. */
export function formatUsd(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

/**
 * The session's measurements, small: the last connect, the last turn's latency to the first audio,
 * to the first text and to the end, the session's tokens, and the estimated cost when prices are set
 * (`prices` on `<charivo-realtime>`). It updates after each turn and connect (`charivo-metrics`), never
 * per frame, and announces nothing (read it when you want it).
 *
 * @summary Latency, tokens and cost of a `<charivo-realtime>` session.
 * @tag charivo-metrics
 *
 * @fires {CharivoEvent} charivo-error - An invalid attribute or property value (detail: code, message, source); the previous value is kept.
 *
 * @csspart base - The `<dl>` of measurements.
 * @csspart item - Each measurement (a term and its value); each also has its own part: `connect`, `first-audio`, `first-text`, `done`, `tokens`, `cost`.
 * @csspart label - Each term.
 * @csspart value - Each value.
 *
 * @cssprop [--charivo-metrics-color=#18181b] - Values (dark #f4f4f5).
 * @cssprop [--charivo-metrics-label-color=#52525b] - Terms (dark #a1a1aa).
 * @cssprop [--charivo-metrics-gap=0.25rem 1rem] - Space between measurements.
 * @cssprop [--charivo-metrics-font=inherit] - Font shorthand.
 */
export class CharivoMetrics extends LitElement {
  static override styles = metricsStyles;

  /** Id of an element (in the same root) whose `.session` to use instead of the nearest `<charivo-realtime>`. */
  @property({ reflect: true }) for: string | null = null;
  /** Accessible name of the list (not empty). */
  @property() label = 'Session metrics';

  #metrics: RealtimeMetrics | null = null;
  #offMetrics: (() => void) | undefined;
  readonly #session = new SessionConsumerController<string | null>(this, {
    // Re-read when a new session starts (its metrics start over).
    select: (session) => session.state.session.id,
    onSessionChange: (session) => this.#follow(session),
  });

  /** The measurements shown (the bound session's, or null without one). */
  get metrics(): RealtimeMetrics | null {
    return this.#session.session?.manager.getMetrics() ?? null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#offMetrics?.();
    this.#offMetrics = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    rejectInvalidInputs(this, changed, INPUTS);
    this.#metrics = this.metrics;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('for')) this.#session.refresh();
  }

  #follow(session: CharivoSession | undefined): void {
    this.#offMetrics?.();
    this.#offMetrics = session?.manager.on('realtime:metrics', () => this.requestUpdate());
  }

  protected override render() {
    const metrics = this.#metrics;
    const last = metrics?.last ?? null;
    const connect = metrics?.connects.at(-1);
    const tokens = metrics && metrics.totals.turns > 0 ? metrics.totals.tokens.total : undefined;
    const cost = metrics?.totals.costUsd;
    const item = (name: string, label: string, value: string) =>
      html`<div part="item ${name}" class="item"><dt part="label">${label}</dt><dd part="value">${value}</dd></div>`;
    return html`<dl part="base" aria-label=${this.label}>
      ${item('connect', 'Connect', formatMs(connect?.ms))} ${item('first-audio', 'First audio', formatMs(last?.firstAudioMs))}
      ${item('first-text', 'First text', formatMs(last?.firstTextMs))} ${item('done', 'Reply done', formatMs(last?.doneMs))}
      ${item('tokens', 'Tokens', tokens === undefined ? '—' : tokens.toLocaleString('en-US'))}
      ${cost === undefined ? nothing : item('cost', 'Est. cost', formatUsd(cost))}
    </dl>`;
  }
}
