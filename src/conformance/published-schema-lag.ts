/**
 * Where OpenAI's published schema (schema/openai-realtime.schema.json, 2026-08-21) lags the `openai`
 * package's types, the contract for the newer fields: the session the server reports
 * (`session.created`, `session.updated`, a client secret's `session`) may carry a custom voice
 * `{ id }` and the newer transcription options, which the published response shapes do not allow yet
 * while its request shapes do. The validator widens exactly those places, to what the request shapes
 * already say, and the types check them (closed) beside it. A node test pins the remaining
 * differences between the two descriptions, so a refresh of either shows up.
 * @packageDocumentation
 */

type JsonObject = Record<string, unknown>;

/** Applies the widenings to `defs` (a clone of the published `$defs`), in place. */
export function widenLaggingResponseShapes(defs: Record<string, JsonObject>): void {
  // The reported voice: a built-in name or, since custom voices, `{ id }` (as the request's voice).
  const output = at(defs, 'RealtimeSessionCreateResponseGA', 'properties', 'audio', 'properties', 'output', 'properties');
  if (output && defs.VoiceIdsOrCustomVoice) output.voice = { $ref: '#/$defs/VoiceIdsOrCustomVoice' };
  // The reported transcription: the request's options (`delay`, `keywords`) as well.
  const reported = at(defs, 'AudioTranscriptionResponse', 'properties');
  const requested = at(defs, 'AudioTranscription', 'properties');
  if (reported && requested) {
    for (const key of ['delay', 'keywords', 'languages']) if (!(key in reported) && key in requested) reported[key] = requested[key];
  }
}

function at(root: Record<string, JsonObject>, ...path: string[]): JsonObject | undefined {
  let node: unknown = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as JsonObject)[key];
  }
  return typeof node === 'object' && node !== null ? (node as JsonObject) : undefined;
}
