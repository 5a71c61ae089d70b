/**
 * Compares a live session (the `session` of a `session.updated`) with the minted one, field by owned
 * field, and builds the `session.update` that puts the owned fields back. Pure, over OpenAI's wire
 * objects.
 * @packageDocumentation
 */
import { effortAbove, REALTIME_REASONING_EFFORTS } from '../../session/reasoning-efforts.js';
import { pageToolText, type PinnableTool, type ToolPin } from '../../session/tool-pins.js';
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
  reasoning: undefined,
  truncation: 'auto',
  prompt: null,
  providerOptions: undefined,
};

/** The owned fields `live` breaks, with the minted value of each. */
export function findViolations(owned: readonly OwnedField[], live: Record<string, unknown>, minted: Record<string, unknown>): OwnedFieldViolation[] {
  const violations: OwnedFieldViolation[] = [];
  for (const entry of owned) {
    const expected = valueOf(minted, entry);
    const actual = valueOf(live, entry);
    // A minted session that names no model (a provider that fills none in) holds nothing to compare.
    if (entry.field === 'model' && isNothing(expected)) continue;
    if (satisfies(entry.rule, actual, expected)) continue;
    // A provider may report the dated snapshot of the model it was asked for (gpt-realtime-2025-08-28).
    if (entry.field === 'model' && typeof actual === 'string' && satisfies(entry.rule, withoutSnapshotDate(actual), expected)) continue;
    violations.push({ field: entry.field, because: entry.because, expected, actual });
  }
  return violations;
}

/**
 * The `session` of a `session.update` that puts `fields` back within the policy: their minted values,
 * except where only part of a field is owned and `live` is given: an idle timeout out of its range is
 * set back to the minted one (or off) in the live turn detection, and a reasoning effort above the
 * bound with none minted goes to the lower of the provider's default (`low`) and the bound.
 */
export function restorePatch(fields: readonly OwnedField[], minted: Record<string, unknown>, live?: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = { type: 'realtime' };
  for (const entry of fields) {
    if (entry.path.length === 0) continue;
    let at = patch;
    for (const key of entry.path.slice(0, -1)) {
      const next = at[key];
      at = (isPlainObject(next) ? next : (at[key] = {})) as Record<string, unknown>;
    }
    at[entry.path.at(-1)!] = structuredClone(restoredValue(entry, minted, live));
  }
  return patch;
}

function restoredValue(entry: OwnedField, minted: Record<string, unknown>, live: Record<string, unknown> | undefined): unknown {
  const value = valueOf(minted, entry);
  const { rule } = entry;
  if (rule.kind === 'idleTimeout' && live) {
    const current = valueOf(live, entry);
    if (isPlainObject(current)) {
      const mintedIdle = isPlainObject(value) ? value.idle_timeout_ms : undefined;
      return { ...current, idle_timeout_ms: typeof mintedIdle === 'number' ? mintedIdle : null };
    }
  }
  if (rule.kind === 'effortAtMost' && !(isPlainObject(value) && typeof value.effort === 'string')) {
    return { effort: effortAbove('low', rule.max) ? rule.max : 'low' };
  }
  return value ?? null;
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
      return Array.isArray(actual) && toolsWithin(rule, actual);
    case 'transcriptionModel':
      return isNothing(actual) || (isPlainObject(actual) && typeof actual.model === 'string' && rule.models.includes(actual.model));
    case 'idleTimeout': {
      if (!isPlainObject(actual) || actual.type !== 'server_vad') return true;
      const idle = actual.idle_timeout_ms;
      return idle === undefined || idle === null || (typeof idle === 'number' && idle >= rule.min && idle <= rule.max);
    }
    case 'effortAtMost': {
      if (isNothing(actual)) return true;
      if (!isPlainObject(actual)) return false;
      const effort = actual.effort;
      if (effort === undefined || effort === null) return true;
      return REALTIME_REASONING_EFFORTS.includes(effort as never) && !effortAbove(effort, rule.max);
    }
    case 'prompt': {
      if (isNothing(actual)) return true;
      if (!isPlainObject(actual) || typeof actual.id !== 'string' || !rule.ids.includes(actual.id)) return false;
      const variables = actual.variables;
      if (variables === undefined || variables === null) return true;
      if (!isPlainObject(variables)) return false;
      // Only text: a variable that is an input object (a file, an image) is no page text we can count.
      if (!Object.values(variables).every((text) => typeof text === 'string')) return false;
      const chars = Object.values(variables as Record<string, string>).reduce((sum, text) => sum + text.length, 0);
      return rule.maxVariableChars === undefined || chars <= rule.maxVariableChars;
    }
  }
}

/** The tool rule on a live tools array: count, bytes and text outside the pins, names, the pins themselves. */
function toolsWithin(rule: Extract<OwnedFieldRule, { kind: 'toolLimits' }>, tools: unknown[]): boolean {
  if (tools.length > rule.maxTools) return false;
  const pins = new Map<string, ToolPin>((rule.pins ?? []).map((pin) => [pin.name, pin]));
  let text = 0;
  const unpinned: unknown[] = [];
  for (const tool of tools) {
    if (!isPlainObject(tool) || typeof tool.name !== 'string') return false;
    if (rule.names && !rule.names.includes(tool.name)) return false;
    const pin = pins.get(tool.name);
    // A pinned tool carries exactly the server's text: an empty or extra description counts as changed.
    if (pin?.description !== undefined && tool.description !== pin.description) return false;
    if (pin?.parameters !== undefined && !matches(pin.parameters, tool.parameters, true)) return false;
    text += pageToolText(tool as unknown as PinnableTool, pin);
    const { description, parameters, ...rest } = tool;
    unpinned.push({ ...rest, ...(pin?.description === undefined ? { description } : {}), ...(pin?.parameters === undefined ? { parameters } : {}) });
  }
  if (rule.maxTextChars !== undefined && text > rule.maxTextChars) return false;
  // Bytes as the route counts them: what the page declared, so a server's long pin never counts against it.
  return new TextEncoder().encode(JSON.stringify(unpinned)).byteLength <= rule.maxToolBytes;
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
