/**
 * Input checks every element shares. What a page, its HTML or a framework binding sets on an element is
 * untrusted: each invalid value is reported as one `charivo-error` (bubbling, composed) with code
 * `invalid_attribute` (source: the attribute's name) or `invalid_property` (source: the property's
 * name), and the property keeps its previous valid value, so the element keeps working.
 * @packageDocumentation
 */
import type { PropertyValues, ReactiveElement } from 'lit';
import { CharivoEvent, type CharivoErrorDetail } from '../realtime/realtime-events.js';

/** Returns what is wrong with a value, or `null` when it is fine. */
export type InputCheck = (value: unknown) => string | null;

/** How one property is checked. */
export interface InputRule {
  check: InputCheck;
  /** The value the element starts with: restored when there is no valid previous value to keep. */
  initial: unknown;
  /** The attribute that feeds the property; a bad value it produced is reported under its name. */
  attribute?: string;
  /** How the attribute converts (as the property's Lit `type`), to tell its value from a scripted one. */
  kind?: 'string' | 'number';
  /** `null`/`undefined` (a removed attribute) quietly restore `initial` instead of being checked. */
  nullResets?: boolean;
}

/** Rules by property name. */
export type InputRules = Readonly<Record<string, InputRule>>;

/** Dispatches one `charivo-error` from `host`. */
export function reportInputError(host: EventTarget, detail: CharivoErrorDetail): void {
  host.dispatchEvent(new CharivoEvent<CharivoErrorDetail>('charivo-error', detail));
}

/**
 * Call first thing in `willUpdate(changed)`: checks the changed properties that have a rule, restores
 * each invalid one (its previous valid value, else `initial`), removes it from `changed` (so nothing
 * downstream sees a change) and reports it. A reflected property also gets its attribute back.
 */
export function rejectInvalidInputs(host: ReactiveElement, changed: PropertyValues, rules: InputRules): void {
  const changes = changed as Map<PropertyKey, unknown>;
  const record = host as unknown as Record<string, unknown>;
  for (const [property, rule] of Object.entries(rules)) {
    if (!changes.has(property)) continue;
    const value = record[property];
    if ((value === null || value === undefined) && rule.nullResets) {
      if (value !== rule.initial) record[property] = rule.initial;
      continue;
    }
    const problem = rule.check(value);
    if (problem === null) continue;
    const fromAttribute = rule.attribute !== undefined && attributeGave(host, rule, value);
    const previous = changes.get(property);
    const usable = previous !== undefined && (previous !== null || !rule.nullResets) && rule.check(previous) === null;
    record[property] = usable ? previous : rule.initial;
    changes.delete(property);
    reportInputError(host, {
      code: fromAttribute ? 'invalid_attribute' : 'invalid_property',
      source: fromAttribute ? rule.attribute! : property,
      message: problem,
    });
  }
}

/** Whether `value` is what the rule's attribute currently converts to (so the attribute set it). */
function attributeGave(host: ReactiveElement, rule: InputRule, value: unknown): boolean {
  const text = host.getAttribute(rule.attribute!);
  if (text === null) return false;
  return rule.kind === 'number' ? Object.is(Number(text), value) : text === value;
}

// ── checks ────────────────────────────────────────────────────────────────────────────────────

/** Describes a value for a message: its type, and short values themselves. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return 'an object';
  }
}

/** A string; with `nonEmpty`, one with something besides whitespace (accessible names). */
export function checkString(name: string, options: { nonEmpty?: boolean } = {}): InputCheck {
  return (value) => {
    if (typeof value !== 'string') return `${name} must be a string, got ${describeValue(value)}`;
    if (options.nonEmpty && value.trim() === '') return `${name} must not be empty`;
    return null;
  };
}

/** `null` or a string: the id named by `for`. */
export function checkIdReference(name: string): InputCheck {
  return (value) => (value === null || typeof value === 'string' ? null : `${name} must be an element id (a string), got ${describeValue(value)}`);
}

/** One of `allowed`. */
export function checkOneOf(name: string, allowed: readonly string[]): InputCheck {
  return (value) => (typeof value === 'string' && allowed.includes(value) ? null : `${name} must be one of ${allowed.join(', ')}, got ${describeValue(value)}`);
}

/** An integer from `min` to `max`. */
export function checkInteger(name: string, min: number, max: number): InputCheck {
  return (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? null
      : `${name} must be an integer from ${min} to ${max}, got ${describeValue(value)}`;
}

/** `true` or `false`. */
export function checkBoolean(name: string): InputCheck {
  return (value) => (typeof value === 'boolean' ? null : `${name} must be true or false, got ${describeValue(value)}`);
}

/** A space-separated list of words from `allowed` (empty is fine). */
export function checkWordList(name: string, allowed: readonly string[]): InputCheck {
  return (value) => {
    if (typeof value !== 'string') return `${name} must be a space-separated list, got ${describeValue(value)}`;
    const unknown = value.split(/\s+/).filter((word) => word !== '' && !allowed.includes(word));
    return unknown.length ? `${name}: unknown ${unknown.map((word) => JSON.stringify(word)).join(', ')}; use any of ${allowed.join(', ')}` : null;
  };
}
