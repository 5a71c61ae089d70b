/**
 * What {@link startRealtimeEmulatorProcess} and its child (emulator-host) say to each other: the options,
 * as JSON in the child's first argument, and the line the child prints once it listens.
 * @packageDocumentation
 */
import type { EmulatorFaults } from './faults.js';

/** The child's line once it listens: this prefix, then the address as JSON. */
export const HOST_READY_PREFIX = 'CHARIVO_EMULATOR ';

/** The emulator's options that can cross to another process (JSON; a scenario comes as a module). */
export interface EmulatorHostOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** The server key clients must present (default `sk-emulator`). */
  apiKey?: string;
  /** Check every event against OpenAI's schema and record violations (default false). */
  validate?: boolean;
  /** How long a session may last, in seconds (default 3600; 0: no cap). */
  maxSessionSeconds?: number;
  /** Faults active from the start. */
  faults?: EmulatorFaults;
  /**
   * URL (`file:` or a package specifier) of an ES module that exports an `EmulatorScenario` as `scenario`
   * or as its default export. A scenario holds functions, which cannot cross to the child as JSON.
   */
  scenarioModule?: string;
  /** Speech pace, in milliseconds per character (the scenario's `msPerChar`; default 65). */
  msPerChar?: number;
}
