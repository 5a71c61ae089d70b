/**
 * Finds the session a consumer element belongs to, through context (an ancestor `<charivo-realtime>`) or
 * through `for="id"` (a sibling anywhere in the same root), and re-renders the host only when the slice
 * of state it shows changes.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { sessionContext, type CharivoSession } from '../elements/session-context.js';

type Host = ReactiveControllerHost & HTMLElement;

/** Options of {@link SessionConsumerController}. */
export interface SessionConsumerOptions<T> {
  /** What the host renders from the session; the host updates only when this changes (`Object.is`). */
  select?: (session: CharivoSession) => T;
  /** Called when the bound session changes (found, replaced or lost). */
  onSessionChange?: (session: CharivoSession | undefined) => void;
}

export class SessionConsumerController<T = unknown> implements ReactiveController {
  /** The bound session, if any. */
  session: CharivoSession | undefined;
  /** The last selected value. */
  value: T | undefined;
  #fromContext: CharivoSession | undefined;
  #fromFor: CharivoSession | undefined;
  #unsubscribe: (() => void) | undefined;
  #lookup = 0;

  constructor(
    private readonly host: Host,
    private readonly options: SessionConsumerOptions<T> = {},
  ) {
    host.addController(this);
    new ContextConsumer(host, {
      context: sessionContext,
      subscribe: true,
      callback: (session) => {
        this.#fromContext = session;
        this.#bind();
      },
    });
  }

  hostConnected(): void {
    void this.#resolveFor();
  }

  hostDisconnected(): void {
    this.#lookup += 1;
    this.#fromFor = undefined;
    this.#setSession(undefined);
  }

  /** Re-resolves `for="id"` (call when the host's `for` attribute changes). */
  refresh(): void {
    void this.#resolveFor();
  }

  async #resolveFor(): Promise<void> {
    const lookup = ++this.#lookup;
    const id = this.host.getAttribute('for');
    if (!id) {
      this.#fromFor = undefined;
      this.#bind();
      return;
    }
    const root = this.host.getRootNode() as Document | ShadowRoot;
    const target = root.getElementById?.(id) ?? null;
    if (target && target.localName.includes('-')) await customElements.whenDefined(target.localName);
    if (lookup !== this.#lookup) return;
    this.#fromFor = (target as { session?: CharivoSession } | null)?.session;
    this.#bind();
  }

  #bind(): void {
    // An explicit `for` wins over the nearest ancestor.
    this.#setSession(this.#fromFor ?? (this.host.hasAttribute('for') ? undefined : this.#fromContext));
  }

  #setSession(session: CharivoSession | undefined): void {
    if (session === this.session) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.session = session;
    if (session) this.#unsubscribe = session.subscribe(() => this.#check());
    this.value = session && this.options.select ? this.options.select(session) : undefined;
    this.options.onSessionChange?.(session);
    this.host.requestUpdate();
  }

  #check(): void {
    const session = this.session;
    if (!session) return;
    if (!this.options.select) {
      this.host.requestUpdate();
      return;
    }
    const next = this.options.select(session);
    if (Object.is(next, this.value)) return;
    this.value = next;
    this.host.requestUpdate();
  }
}
