// Code-splitting rules for what the script builds load on a session's start (vite.config.ts): the session
// code every adapter needs (the manager, the remote client, the wire protocol, the audio parts, the config
// check) in one chunk, and each adapter's own code in one chunk of its own. Left to Rolldown's automatic
// splitting, the start of one adapter fetched 15 files (several under 400 bytes): each file is compressed
// on its own, so the same names and idioms are paid for in each, and the imports between chunks add up.
// One chunk per step is also one request per step (the manager and the remote client load together).
// The config check (validator and schema) is a chunk of its own: a `sessionConfig` set before any start
// loads that alone.
// The agents SDK adapter (with zod and the SDK) stays a chunk of its own, split automatically.
import { resolve, sep } from 'node:path';

const src = resolve('src') + sep;
const under = (id, dir) => id.startsWith(src + dir.replaceAll('/', sep) + sep);
const is = (id, file) => id === src + file.replaceAll('/', sep);

/** The config check's modules (with the validator, `src/manager/tools/`). */
const CONFIG_CHECK = ['elements/realtime/session-config-check.ts', 'manager/session-config-parse.ts', 'session/session-config.schema.ts'];

/** The chunk a lazily loaded module of ours belongs to, or null (Rolldown decides). */
export function sessionChunkOf(id) {
  if (!id.startsWith(src)) return null;
  // The image encoder loads on the first image sent, not with the session.
  if (is(id, 'manager/image-encode.ts')) return null;
  if (is(id, 'transports/openai-webrtc/agents-adapter.ts')) return null;
  if (under(id, 'transports/openai-webrtc')) return 'openai-webrtc';
  if (under(id, 'transports/openai-websocket')) return 'openai-websocket';
  if (under(id, 'transports/openai-live')) return 'openai-live';
  // The config check loads on its own when a page sets `sessionConfig` before a start: the validator and
  // the schema only, not the whole session code (which imports the validator from it).
  if (CONFIG_CHECK.some((file) => is(id, file)) || under(id, 'manager/tools')) {
    return 'session-config-check';
  }
  if (under(id, 'manager') || under(id, 'session') || under(id, 'transports')) return 'session';
  if (is(id, 'elements/realtime/session-runtime.ts')) return 'session';
  return null;
}

/**
 * The `codeSplitting.groups` entry that puts the session code and each adapter in a chunk of their own.
 * Goes after the first-load group (modules a first load needs stay there).
 */
export function sessionChunksGroup() {
  // Only the modules named here: by default a group also takes what they import (the agents adapter's
  // SDK and zod would join the WebRTC chunk, the session code the first adapter chunk named).
  return { debugName: 'session-chunks', name: (/** @type {string} */ id) => sessionChunkOf(id), includeDependenciesRecursively: false };
}
