/**
 * Checks of what pages and frameworks set on `<charivo-realtime>`: values from HTML attributes and
 * untyped framework bindings are untrusted. Each check returns a message or `null`.
 */
import type { RealtimeCharacter, RealtimeLogger } from '../../manager/index.js';
import type { RealtimeTransport } from '../../transports/types.js';

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

export function checkOptionalString(value: unknown, name: string, max = 64_000): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return `${name} must be a string`;
  return value.length > max ? `${name} is longer than ${max} characters` : null;
}

export type { RealtimeCharacter };

export function checkMicrophone(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) return 'microphone must be an object: { deviceId }, { constraints } or { stream }';
  if (value.deviceId !== undefined && typeof value.deviceId !== 'string') return 'microphone.deviceId must be a string';
  if (value.constraints !== undefined && !isObject(value.constraints)) return 'microphone.constraints must be an object of MediaTrackConstraints';
  if (value.stream !== undefined && !(typeof MediaStream === 'function' && value.stream instanceof MediaStream)) return 'microphone.stream must be a MediaStream';
  return null;
}
