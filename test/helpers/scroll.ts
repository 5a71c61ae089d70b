/**
 * Waits until `element`'s scroll position has held for 5 frames: a smooth scroll (a key, a wheel, a
 * fling) has landed. Fails after `maxFrames`, saying where it was.
 */
export async function untilStill(element: HTMLElement, maxFrames = 180): Promise<void> {
  let last = element.scrollTop;
  let still = 0;
  for (let i = 0; i < maxFrames && still < 5; i += 1) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    still = element.scrollTop === last ? still + 1 : 0;
    last = element.scrollTop;
  }
  if (still < 5) throw new Error(`the log kept scrolling for ${maxFrames} frames (at ${element.scrollTop} px)`);
}
