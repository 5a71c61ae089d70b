// Real key presses that behave the same in Chromium, Firefox and WebKit (test/wtr-keys-plugin.mjs):
// the same payload as @web/test-runner-commands' sendKeys, which it replaces in tests.
import { executeServerCommand } from '@web/test-runner-commands';

/** One of: `type` a text (one key down and up per character), `press` a key, hold it `down`, release it `up`. */
export type KeysPayload = { type: string } | { press: string } | { down: string } | { up: string };

/** Sends real keyboard input to the focused element. Key names as in `KeyboardEvent.key`, plus `Space`. */
export async function sendKeys(payload: KeysPayload): Promise<void> {
  await executeServerCommand('charivo-keys', payload);
}
