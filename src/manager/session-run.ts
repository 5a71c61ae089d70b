/** One `startSession()` … end. Callbacks of an older run compare against the current one and bail. */
export interface SessionRun {
  id: string;
  controller: AbortController;
  ended: boolean;
  /** Settles when the run has fully ended (transport disconnected, state stopped, events out). */
  ending?: Promise<void>;
  unsubscribe: Array<() => void>;
}

export function createRun(id: string): SessionRun {
  return { id, controller: new AbortController(), ended: false, unsubscribe: [] };
}
