/**
 * How `<charivo-realtime>` resolves its `adapter` name: built-in adapters, those the page registered
 * (`registerRealtimeAdapter()`) and the element's own `adapters`. It follows registrations, so an
 * `adapter` attribute that named an adapter before it was registered is adopted once it is.
 */
import { DEFAULT_ADAPTERS, type RealtimeAdapterEntry } from '../../transports/remote/adapters.js';
import { describeValue } from '../shared/input-errors.js';
import { isKnownAdapter, onRealtimeAdaptersChange, registeredRealtimeAdapters } from './adapter-registry.js';

/** The element as the binding sees it. */
export interface AdapterHost extends Element {
  adapter: string;
  adapters: RealtimeAdapterEntry[];
}

export class AdapterBinding {
  #version = 0;
  #off: (() => void) | undefined;

  constructor(private readonly host: AdapterHost) {}

  /** Changes whenever the set of adapters may have changed (a cached remote client is then rebuilt). */
  get version(): number {
    return this.#version;
  }

  /** Every adapter the element may use beside the built-in ones: the page's, then its own. */
  entries(): RealtimeAdapterEntry[] {
    return [...registeredRealtimeAdapters(), ...this.host.adapters];
  }

  /** The input check of `adapter` (or `fallbackAdapter`, named by `input`): `null` when the name is known. */
  problem(value: unknown, input = 'adapter'): string | null {
    if (typeof value === 'string' && isKnownAdapter(value, this.host.adapters)) return null;
    const known = [...new Set([...DEFAULT_ADAPTERS, ...this.entries()].map((entry) => entry.name))];
    return `${input} must be one of ${known.join(', ')} (or an adapter registered with registerRealtimeAdapter()), got ${describeValue(value)}`;
  }

  /** Call from `connectedCallback`: follows page registrations while the element is in the document. */
  connect(): void {
    this.#off ??= onRealtimeAdaptersChange(() => this.changed());
  }

  disconnect(): void {
    this.#off?.();
    this.#off = undefined;
  }

  /** The adapters changed (a registration, or the element's `adapters` property). */
  changed(): void {
    this.#version += 1;
    const wanted = this.host.getAttribute('adapter');
    if (wanted !== null && wanted !== this.host.adapter && isKnownAdapter(wanted, this.host.adapters)) this.host.adapter = wanted;
  }
}
