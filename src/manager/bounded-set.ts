/**
 * A set that forgets its oldest entries past a capacity. The manager remembers ids it has seen (ended
 * responses, answered tool calls) to drop late and repeated events; a long session must not make that
 * memory grow without end, and an id old enough to be forgotten no longer arrives.
 */
export class BoundedSet<T> {
  #items = new Set<T>();

  constructor(private readonly capacity: number) {}

  has(item: T): boolean {
    return this.#items.has(item);
  }

  add(item: T): void {
    if (this.#items.has(item)) return;
    this.#items.add(item);
    if (this.#items.size > this.capacity) {
      // Sets iterate in insertion order: the first entry is the oldest.
      const oldest = this.#items.values().next().value as T;
      this.#items.delete(oldest);
    }
  }

  clear(): void {
    this.#items.clear();
  }

  get size(): number {
    return this.#items.size;
  }
}
