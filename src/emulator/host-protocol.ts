/**
 * What {@link startRealtimeEmulatorProcess} and its child (emulator-host) say to each other: the options,
 * as JSON in the child's first argument, and the line the child prints once it listens.
 * @packageDocumentation
 */
import type { RealtimeEmulatorOptions } from './server.js';

/** The child's line once it listens: this prefix, then the address as JSON. */
export const HOST_READY_PREFIX = 'CHARIVO_EMULATOR ';

/** The emulator's options that can cross to another process (JSON; a scenario comes as a module). */
export type EmulatorHostOptions = Pick<RealtimeEmulatorOptions, 'port' | 'host' | 'apiKey' | 'validate' | 'maxSessionSeconds' | 'faults'> & {
  /**
   * URL (`file:` or a package specifier) of an ES module that exports an `EmulatorScenario` as `scenario`
   * or as its default export. A scenario holds functions, which cannot cross to the child as JSON.
   */
  scenarioModule?: string;
  /** Speech pace, in milliseconds per character (the scenario's `msPerChar`; default 65). */
  msPerChar?: number;
};
