/**
 * Compares a live session (the `session` of a `session.updated`) with the minted one, field by owned
 * field, and builds the `session.update` that puts the owned fields back. Pure, over OpenAI's wire
 * objects.
 * @packageDocumentation
 */
import type { OwnedField, OwnedFieldName, OwnedFieldRule } from './owned-fields.js';

/** A field a page changed against the policy. */
export interface OwnedFieldViolation {
  field: OwnedFieldName;
  /** The policy setting that owns it. */
  because: string;
  /** The minted value (what the guard puts back). */
  expected: unknown;
  /** What the live session holds. */
  actual: unknown;
}

/**
 * OpenAI's values for fields a session leaves out: what the live session holds when the minted
 * session did not name them, and what the guard writes back in that case.
 */
export const WIRE_DEFAULTS: Readonly<Record<OwnedFieldName, unknown>> = {
  model: undefined,
  instructions: '',
  voice: undefined,
  speed: 1,
  outputModalities: ['audio'],
  maxOutputTokens: 'inf',
  toolChoice: 'auto',
  tools: [],
  turnDetection: { type: 'server_vad' },
  inputTranscription: null,
  noiseReduction: null,
  prompt: null,
};

/** The owned fields `live` breaks, with the minted value of each. */
export function findViolations(owned: readonly OwnedField[], live: Record<string, unknown>, minted: Record<string, unknown>): OwnedFieldViolation[] {
  const violations: OwnedFieldViolation[] = [];
  for (const entry of owned) {
    const expected = valueOf(minted, entry);
    const actual = valueOf(live, entry);
    if (satisfies(entry.rule, actual, expected)) continue;
    // A provider may report the dated snapshot of the model it was asked for (gpt-realtime-2025-08-28).
    if (entry.field === 'model' && typeof actual === 'string' && satisfies(entry.rule, withoutSnapshotDate(actual), expected)) continue;
    violations.push({ field: entry.field, because: entry.because, expected, actual });
  }
  return violations;
}

/** The `session` of a `session.update` that sets `fields` back to their minted values. */
export function restorePatch(fields: readonly OwnedField[], minted: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = { type: 'realtime' };
  for (const entry of fields) {
    let at = patch;
    for (const key of entry.path.slice(0, -1)) {
      const next = at[key];
      at = (isPlainObject(next) ? next : (at[key] = {})) as Record<string, unknown>;
    }
    at[entry.path.at(-1)!] = structuredClone(valueOf(minted, entry) ?? null);
  }
  return patch;
}

function valueOf(session: Record<string, unknown>, entry: OwnedField): unknown {
  let value: unknown = session;
  for (const key of entry.path) value = isPlainObject(value) ? value[key] : undefined;
  return value === undefined ? WIRE_DEFAULTS[entry.field] : value;
}

function satisfies(rule: OwnedFieldRule, actual: unknown, expected: unknown): boolean {
  switch (rule.kind) {
    case 'equal':
      return matches(expected, actual, false);
    case 'oneOf': {
      // A custom voice `{ id }` counts by its id, as the route's allowedVoices does.
      const name = typeof actual === 'object' && actual !== null ? (actual as { id?: unknown }).id : actual;
      return typeof name === 'string' && rule.values.includes(name);
    }
    case 'prefix':
      return typeof actual === 'string' && actual.startsWith(rule.prefix) && actual.length - rule.prefix.length <= rule.maxAppended;
    case 'maxLength':
      return typeof actual === 'string' && actual.length <= rule.max;
    case 'atMost':
      return typeof actual === 'number' && actual <= rule.max;
    case 'range':
      return typeof actual === 'number' && actual >= rule.min && actual <= rule.max;
    case 'toolLimits':
      return Array.isArray(actual) && actual.length <= rule.maxTools && new TextEncoder().encode(JSON.stringify(actual)).byteLength <= rule.maxToolBytes;
  }
}

/**
 * Deep comparison that tolerates what a provider adds: at the top of a field, an object may carry
 * keys the minted one left out (turn detection comes back with its defaults filled in); inside
 * arrays (tools) objects must match key for key, so a page cannot slip a description into a tool.
 * `undefined`, `null` and `''` count as the same "nothing".
 */
function matches(expected: unknown, actual: unknown, exact: boolean): boolean {
  if (isNothing(expected) || isNothing(actual)) return isNothing(expected) && isNothing(actual);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => matches(item, actual[i], true));
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false;
    if (!Object.keys(expected).every((key) => matches(expected[key], actual[key], exact))) return false;
    return !exact || Object.keys(actual).every((key) => isNothing(actual[key]) || !isNothing(expected[key]));
  }
  return Object.is(expected, actual);
}

function withoutSnapshotDate(model: string): string {
  return model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
}

function isNothing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
