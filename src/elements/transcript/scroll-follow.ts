/**
 * Whether a scrolling log follows its newest content, decided from what the user does rather than
 * from where the log happens to be.
 *
 * Reading the position in a `scroll` event cannot tell the user from the log itself: the event of the
 * log's own scroll to the end arrives a frame later, and text that streamed in meanwhile has moved the
 * end away, so the log looked "scrolled up" and stopped following by itself. So only a user gesture
 * that scrolls up stops following: a wheel or a touch swipe upwards, a key that scrolls up, or a
 * scroll while a pointer is held on the log (dragging the scrollbar, selecting text). The log's own
 * scrolls, content growth and clamping never do. Reaching the end again, by any means, resumes.
 * @packageDocumentation
 */

/** Distance from the end (px) that still counts as "at the end". */
const AT_END_SLACK = 8;
/** Keys that scroll a focused scroll container up (Space with Shift too). */
const UP_KEYS = new Set(['ArrowUp', 'PageUp', 'Home']);

export class ScrollFollow {
  #following = true;
  #pointerHeld = false;
  /** The end when following stopped, then scrollTop at each scroll event read, to tell a scroll down from a scroll up. */
  #lastTop = 0;
  #touchY: number | undefined;

  /** `changed` runs whenever {@link following} flips. */
  constructor(
    private readonly log: () => HTMLElement | null,
    private readonly changed: (following: boolean) => void,
  ) {}

  get following(): boolean {
    return this.#following;
  }

  /** Follows again (the caller scrolls to the end). */
  resume(): void {
    this.#set(true);
  }

  /** True when the log is at (or within a few pixels of) its end. */
  atEnd(): boolean {
    const log = this.log();
    return !log || log.scrollHeight - log.scrollTop - log.clientHeight <= AT_END_SLACK;
  }

  // Listeners for the log element; wheel and touch are passive (they never block scrolling).

  readonly onWheel = {
    passive: true,
    handleEvent: (event: WheelEvent): void => {
      // Ctrl + wheel zooms the page.
      if (event.deltaY < 0 && !event.ctrlKey) this.#userScrolledUp();
    },
  };

  readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (UP_KEYS.has(event.key) || (event.key === ' ' && event.shiftKey)) this.#userScrolledUp();
  };

  readonly onTouchStart = {
    passive: true,
    handleEvent: (event: TouchEvent): void => {
      this.#touchY = event.touches[0]?.clientY;
    },
  };

  readonly onTouchMove = {
    passive: true,
    handleEvent: (event: TouchEvent): void => {
      const y = event.touches[0]?.clientY;
      // A finger moving down drags the content down: the log scrolls up.
      if (y !== undefined && this.#touchY !== undefined && y > this.#touchY + 2) this.#userScrolledUp();
      this.#touchY = y;
    },
  };

  readonly onPointerDown = (event: PointerEvent): void => {
    if (event.pointerType === 'touch' || this.#pointerHeld) return;
    this.#pointerHeld = true;
    const release = (): void => {
      this.#pointerHeld = false;
      window.removeEventListener('pointerup', release, true);
      window.removeEventListener('pointercancel', release, true);
    };
    window.addEventListener('pointerup', release, true);
    window.addEventListener('pointercancel', release, true);
  };

  readonly onScroll = (): void => {
    // While following, only a held pointer can change anything: the log's own scrolls to the end are
    // not read at all (reading the position while text streams in forces a layout per frame).
    if (this.#following && !this.#pointerHeld) return;
    const top = this.log()?.scrollTop ?? 0;
    const down = top > this.#lastTop;
    this.#lastTop = top;
    // A scroll while a pointer is held on the log is the user's (scrollbar drag, selection).
    if (this.#pointerHeld) this.#set(this.atEnd());
    // Only a scroll down into the end resumes: the first steps of a smooth scroll up are still near
    // the end, and content shrinking under the reader clamps the position without them moving.
    else if (down && this.atEnd()) this.#set(true);
  };

  #userScrolledUp(): void {
    const log = this.log();
    // Nothing to scroll up to (at the top, or the content fits): still following.
    if (!log || log.scrollTop <= 0) return;
    // Later scrolls are told up or down from the end, not from the position read now: a smooth scroll
    // down still in flight (End, PageDown) lands a few pixels lower after this key, and read from here
    // that landing looked like the reader scrolling back to the end (the log jumped back there).
    this.#lastTop = Math.max(log.scrollTop, log.scrollHeight - log.clientHeight);
    this.#set(false);
  }

  #set(following: boolean): void {
    if (following === this.#following) return;
    this.#following = following;
    this.changed(following);
  }
}
