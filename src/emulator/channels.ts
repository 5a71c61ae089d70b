/** One connection the session talks over: the `oai-events` data channel or a WebSocket. */
export interface SessionChannel {
  readonly open: boolean;
  send(text: string): void;
  /** Ends the connection without a goodbye (drop faults, hang-ups, server shutdown). */
  drop(): void;
  /** Ends the connection with a close code and reason (a WebSocket's close frame); absent elsewhere. */
  close?(code: number, reason: string): void;
}

/** What a server-side control connection (`?call_id=`) gets from {@link EmulatorSession.attachSideband}. */
export interface SidebandHandle {
  /** Handles one text frame the server sent on its control connection. */
  receive(text: string): void;
  /** The control connection closed; the call goes on. */
  detach(): void;
}

/**
 * The connections of one session: the client's (data channel or WebSocket) and any server-side
 * control connections joined by call id. Server events go to all of them, as OpenAI sends a call's
 * events to both its client and its control connection; an event addressed to one connection (an
 * error answering that connection's event) goes only there.
 */
export class SessionChannels {
  #client: SessionChannel | undefined;
  readonly #sidebands = new Set<SessionChannel>();

  get client(): SessionChannel | undefined {
    return this.#client;
  }

  set client(channel: SessionChannel | undefined) {
    this.#client = channel;
  }

  get sidebandCount(): number {
    return this.#sidebands.size;
  }

  isSideband(channel: SessionChannel | undefined): boolean {
    return channel !== undefined && this.#sidebands.has(channel);
  }

  addSideband(channel: SessionChannel): void {
    this.#sidebands.add(channel);
  }

  removeSideband(channel: SessionChannel): void {
    this.#sidebands.delete(channel);
  }

  /** True when at least one connection can take a frame. */
  get anyOpen(): boolean {
    if (this.#client?.open) return true;
    for (const channel of this.#sidebands) if (channel.open) return true;
    return false;
  }

  /** Sends `text` to `to` only, or to every open connection. */
  send(text: string, to?: SessionChannel): void {
    const targets = to ? [to] : [...(this.#client ? [this.#client] : []), ...this.#sidebands];
    for (const channel of targets) {
      if (!channel.open) continue;
      try {
        channel.send(text);
      } catch {
        // The connection closed between the open check and the send; its close handler cleans up.
      }
    }
  }

  /**
   * Closes the client's connection with `code` and `reason` where it has such a close (a WebSocket);
   * the others are dropped by {@link dropAll} as usual. The outbox delivered everything before this.
   */
  goodbye(code: number, reason: string): void {
    const client = this.#client;
    if (!client?.close) return;
    this.#client = undefined;
    try {
      client.close(code, reason);
    } catch {
      // Already gone.
    }
  }

  /** Drops every connection (the session ended) and forgets them. */
  dropAll(): void {
    const all = [...(this.#client ? [this.#client] : []), ...this.#sidebands];
    this.#client = undefined;
    this.#sidebands.clear();
    for (const channel of all) {
      try {
        channel.drop();
      } catch {
        // The transport may already be gone; closing is best effort.
      }
    }
  }
}
