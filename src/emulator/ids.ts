import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * An id shaped like OpenAI's (`event_C9G5RJeJ2gF77mV7f2B1j`): prefix, underscore, 21 random
 * alphanumerics. Random rather than sequential so ids never repeat across emulator restarts, which
 * matters to a reconnecting client that keys its history by item id.
 */
export function newId(prefix: string, length = 21): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return `${prefix}_${out}`;
}
