import { newId } from './ids.js';
import type { SessionObject } from './types.js';

/** An ephemeral client secret (`ek_…`) and the session configuration it carries. */
export interface ClientSecret {
  value: string;
  /** Epoch seconds, as the API reports it. */
  createdAt: number;
  expiresAt: number;
  session: SessionObject;
}

/** Bounds memory if a client mints secrets in a loop. */
const MAX_SECRETS = 10_000;

/** Issues and checks client secrets. */
export class SecretStore {
  readonly #secrets = new Map<string, ClientSecret>();

  /** Mints a secret living `ttlSeconds`. */
  issue(session: SessionObject, ttlSeconds: number): ClientSecret {
    this.#sweep();
    const createdAt = Math.floor(Date.now() / 1000);
    const secret: ClientSecret = { value: newId('ek', 32), createdAt, expiresAt: createdAt + ttlSeconds, session };
    this.#secrets.set(secret.value, secret);
    return secret;
  }

  /**
   * Looks a secret up. `ttlOverride` (the `secretTtlSeconds` fault) shortens the life of every
   * secret, including those issued before the fault was set.
   */
  check(value: string, ttlOverride?: number): { secret: ClientSecret } | { error: 'unknown' | 'expired' } {
    const secret = this.#secrets.get(value);
    if (!secret) return { error: 'unknown' };
    const expiresAt = ttlOverride === undefined ? secret.expiresAt : Math.min(secret.expiresAt, secret.createdAt + ttlOverride);
    // With a zero TTL the secret is expired even within its first second.
    if (Date.now() / 1000 >= expiresAt) return { error: 'expired' };
    return { secret };
  }

  #sweep(): void {
    const now = Date.now() / 1000;
    for (const [value, secret] of this.#secrets) if (secret.expiresAt <= now) this.#secrets.delete(value);
    while (this.#secrets.size >= MAX_SECRETS) this.#secrets.delete(this.#secrets.keys().next().value!);
  }
}
