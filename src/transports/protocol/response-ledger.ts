/**
 * Which responses the provider is generating, which already ended, and who waits for an end. Events
 * are tracked by response id, so a disordered provider (a late or repeated `response.created`, a
 * second `response.done`, a done for a response nobody created) cannot re-open a finished response
 * or hold every later request back.
 * @packageDocumentation
 */

/** Finished response ids remembered; older ones are forgotten. */
const MAX_FINISHED = 64;

export class ResponseLedger {
  /** Responses being generated now (normally one; interleaved ones are all tracked). */
  readonly active = new Set<string>();
  readonly #finished = new Set<string>();
  readonly #waiting = new Map<string, Array<() => void>>();

  /** A `response.created`: false when it repeats a running response or names one that ended. */
  created(id: string): boolean {
    if (this.active.has(id) || this.#finished.has(id)) return false;
    this.active.add(id);
    return true;
  }

  /**
   * A `response.done`: false when that response already ended (a repeat). A done that names no
   * response (a malformed event) ends the oldest running one, so a lost id cannot block requests.
   */
  done(id: string | undefined): boolean {
    if (id !== undefined && this.#finished.has(id)) return false;
    const ended = id ?? this.active.values().next().value;
    if (ended === undefined) return true;
    this.active.delete(ended);
    this.#finished.add(ended);
    while (this.#finished.size > MAX_FINISHED) this.#finished.delete(this.#finished.values().next().value!);
    this.#release(ended);
    return true;
  }

  /** True for a response that already ended: its late events are dropped. */
  ended(id: string): boolean {
    return this.#finished.has(id);
  }

  /** Resolves when `id` ends (at once when it is not running). */
  settled(id: string): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.active.has(id)) return resolve();
      const waiting = this.#waiting.get(id) ?? [];
      waiting.push(resolve);
      this.#waiting.set(id, waiting);
    });
  }

  /** The connection closed: nothing will end any more, so every wait resolves now. */
  releaseAll(): void {
    for (const id of [...this.#waiting.keys()]) this.#release(id);
  }

  #release(id: string): void {
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    for (const done of waiting ?? []) done();
  }
}
