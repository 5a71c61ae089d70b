/**
 * Emits the assistant's voice level once per animation frame, and only while it plays: the frame
 * loop runs while the level source is active and stops with it, so an idle session costs nothing.
 */
import type { LevelSource } from '../types.js';

/**
 * Starts following `source`; returns a stop function. When playback stops, one final `0` is emitted
 * so event-driven mouths close instead of freezing on the last level.
 */
export function followLevel(source: LevelSource, emit: (level: number) => void): () => void {
  let frame: number | undefined;
  const tick = (): void => {
    frame = undefined;
    if (!source.active) return;
    emit(source.read());
    frame = requestAnimationFrame(tick);
  };
  const stopFrames = (): void => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    frame = undefined;
  };
  const off = source.onActiveChange((active) => {
    if (active) {
      if (frame === undefined) frame = requestAnimationFrame(tick);
      return;
    }
    if (frame !== undefined) {
      stopFrames();
      emit(0);
    }
  });
  if (source.active) frame = requestAnimationFrame(tick);
  return () => {
    off();
    stopFrames();
  };
}
