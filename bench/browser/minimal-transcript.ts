// The comparison of the throughput bench: the least DOM work a live transcript can do. One <p> per turn,
// `appendData` on its text node per delta, and one scroll to the end per animation frame in which text
// arrived. No framework, no state, no accessibility: a floor, not a product.

export class MinimalTranscript {
  readonly element = document.createElement('div');
  #text: Text | undefined;
  #frame = 0;

  constructor(width = 480, height = 320) {
    this.element.style.cssText = `width: ${width}px; height: ${height}px; overflow-y: auto; font: 14px sans-serif; padding: 12px; box-sizing: border-box`;
  }

  /** A finished turn (history). */
  turn(text: string): void {
    const p = document.createElement('p');
    p.textContent = text;
    this.element.append(p);
    this.#text = undefined;
    this.#scroll();
  }

  /** A delta of the streaming turn (its first delta opens the turn). */
  delta(delta: string): void {
    if (!this.#text) {
      const p = document.createElement('p');
      this.#text = document.createTextNode('');
      p.append(this.#text);
      this.element.append(p);
    }
    this.#text.appendData(delta);
    this.#scroll();
  }

  /** The streaming turn is done. */
  done(): void {
    this.#text = undefined;
  }

  get text(): string {
    return this.element.lastElementChild?.textContent ?? '';
  }

  #scroll(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.element.scrollTop = this.element.scrollHeight;
    });
  }

  remove(): void {
    cancelAnimationFrame(this.#frame);
    this.element.remove();
  }
}
