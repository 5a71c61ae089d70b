/**
 * Checks of what pages and frameworks set on `<charivo-realtime>`: values from HTML attributes and
 * untyped framework bindings are untrusted. Each check returns a message or `null`.
 */
import type { RealtimeCharacter, RealtimeLogger } from '../../manager/index.js';
import type { RealtimeTransport } from '../../transports/types.js';
import { checkBoolean, type InputRules } from '../shared/input-errors.js';
import { adapterEntryProblem } from './adapter-registry.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function checkCharacter(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (!isObject(value) || typeof value.name !== 'string' || value.name.trim() === '') {
    return 'character must be null or an object with a non-empty string name';
  }
  return null;
}

export function checkLogger(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const logger = value as Partial<RealtimeLogger>;
  const missing = (['debug', 'info', 'warn', 'error'] as const).filter((level) => typeof logger[level] !== 'function');
  return missing.length ? `logger must have functions debug, info, warn and error (missing ${missing.join(', ')})` : null;
}

export function checkTransport(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const transport = value as Partial<RealtimeTransport>;
  const methods = ['connect', 'disconnect', 'sendText', 'sendAudio', 'updateSession', 'sendToolResult', 'interrupt', 'on'] as const;
  const missing = methods.filter((method) => typeof transport[method] !== 'function');
  return missing.length ? `transport must implement RealtimeTransport (missing ${missing.join(', ')})` : null;
}

export function checkArrayOfFunctions(value: unknown, name: string): string | null {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'function')) return `${name} must be an array of functions`;
  return null;
}

export function checkEndpoint(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'endpoint must be a URL or a path such as /api/realtime';
  try {
    const url = new URL(value, globalThis.location?.href ?? 'http://localhost/');
    return url.protocol === 'http:' || url.protocol === 'https:' ? null : `endpoint must be http(s), got ${url.protocol}`;
  } catch {
    return `endpoint is not a valid URL: ${value}`;
  }
}

/** `fetch`'s `credentials` values. */
const CREDENTIALS = ['same-origin', 'include', 'omit'];

export function checkCredentials(value: unknown): string | null {
  return typeof value === 'string' && CREDENTIALS.includes(value) ? null : `credentials must be one of ${CREDENTIALS.join(', ')}`;
}

export function checkOptionalString(value: unknown, name: string, max = 64_000): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return `${name} must be a string`;
  return value.length > max ? `${name} is longer than ${max} characters` : null;
}

function checkAdapterEntries(value: unknown): string | null {
  if (!Array.isArray(value)) return 'adapters must be an array of adapter entries';
  for (const [index, entry] of value.entries()) {
    const problem = adapterEntryProblem(entry);
    if (problem) return `adapters[${index}]: ${problem}`;
  }
  return null;
}

/** The full check, once loaded (the argument validator is not part of the first load). */
let fullCheck: ((value: unknown) => string | null) | undefined;
let loading: Promise<(value: unknown) => string | null> | undefined;

/** Loads the full `sessionConfig` check (once; a failed load is retried by the next call). */
export function loadSessionConfigCheck(): Promise<(value: unknown) => string | null> {
  loading ??= import('./session-config-check.js').then(
    (module) => (fullCheck = module.sessionConfigProblem),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Whether {@link loadSessionConfigCheck} has finished: `sessionConfig` is then checked in full at once. */
export function sessionConfigCheckLoaded(): boolean {
  return fullCheck !== undefined;
}

/** An object, checked in full when the check has loaded (until then the element defers it). */
function checkSessionConfig(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'sessionConfig: expected a session config object.';
  return fullCheck ? fullCheck(value) : null;
}

/** Checks of every input (the element's own defaults are what an invalid first value falls back to). */
export const REALTIME_INPUTS: InputRules = {
  endpoint: { check: checkEndpoint, initial: '/api/realtime', attribute: 'endpoint', nullResets: true },
  credentials: { check: checkCredentials, initial: 'same-origin', attribute: 'credentials', nullResets: true },
  // `adapter` depends on the element's `adapters`: its rule is made per element (AdapterBinding).
  model: { check: (value) => checkOptionalString(value, 'model', 128), initial: undefined, attribute: 'model' },
  voice: { check: (value) => checkOptionalString(value, 'voice', 128), initial: undefined, attribute: 'voice' },
  instructions: { check: (value) => checkOptionalString(value, 'instructions'), initial: undefined, attribute: 'instructions' },
  muted: { check: checkBoolean('muted'), initial: false, nullResets: true },
  pushToTalk: { check: checkBoolean('pushToTalk'), initial: false, nullResets: true },
  debug: { check: checkBoolean('debug'), initial: false, nullResets: true },
  forgetDevices: { check: checkBoolean('forgetDevices'), initial: false, nullResets: true },
  devicesKey: { check: (value) => checkOptionalString(value, 'devicesKey', 200), initial: undefined, attribute: 'devices-key' },
  character: { check: checkCharacter, initial: null },
  tools: { check: (value) => (Array.isArray(value) ? null : 'tools must be an array of tool registrations'), initial: [] },
  sessionConfig: { check: checkSessionConfig, initial: {} },
  resultProjectors: { check: (value) => checkArrayOfFunctions(value, 'resultProjectors'), initial: [] },
  adapters: { check: checkAdapterEntries, initial: [] },
  microphone: { check: checkMicrophone, initial: undefined },
  logger: { check: checkLogger, initial: undefined },
  transport: { check: checkTransport, initial: undefined },
  sessionBootstrap: {
    check: (value) => (value === undefined || typeof value === 'function' ? null : 'sessionBootstrap must be a function'),
    initial: undefined,
  },
};

export type { RealtimeCharacter };

/** A page's microphone choice: a device, extra constraints or a stream it owns. */
export function checkMicrophone(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) return 'microphone must be an object: { deviceId }, { constraints } or { stream }';
  if (value.deviceId !== undefined && typeof value.deviceId !== 'string') return 'microphone.deviceId must be a string';
  if (value.constraints !== undefined && !isObject(value.constraints)) return 'microphone.constraints must be an object of MediaTrackConstraints';
  if (value.stream !== undefined && !(typeof MediaStream === 'function' && value.stream instanceof MediaStream)) return 'microphone.stream must be a MediaStream';
  return null;
}
