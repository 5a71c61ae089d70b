/**
 * Checks a built-in bootstrap in the browser without zod. The route builds and checks its answers with
 * the zod schemas of `src/server/bootstrap.ts`; the browser checks the same rules here: each variant's
 * own fields by hand, the session and the policy with the JSON Schemas generated from those zod schemas
 * (`src/session/session-config.schema.ts`), through the validator the manager already uses. zod's core
 * was ~20 KB gzip of every start, only to read this answer.
 * @packageDocumentation
 */
import { bootstrapPolicyJsonSchema, realtimeSessionConfigJsonSchema } from '../../session/session-config.schema.js';
import { validateToolArguments } from '../../manager/tools/validate-arguments.js';
import type { BootstrapSchema } from './adapters.js';

/** One problem: where (`clientSecret.value`) and what. */
export interface BootstrapIssue {
  path: PropertyKey[];
  message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Problems of `value` as a session config (every field, tools included, and the rules across fields). */
export function sessionConfigIssues(value: unknown, at: PropertyKey[] = []): BootstrapIssue[] {
  const result = validateToolArguments(realtimeSessionConfigJsonSchema, value, { maxErrors: 5 });
  if (!result.valid) return result.errors.map((issue) => located(issue, at));
  const issues: BootstrapIssue[] = [];
  const session = value as { tools?: Array<{ name: string }>; toolChoice?: unknown };
  const names = new Set<string>();
  session.tools?.forEach((tool, index) => {
    if (names.has(tool.name)) issues.push({ path: [...at, 'tools', index, 'name'], message: `duplicate tool name "${tool.name}"` });
    names.add(tool.name);
  });
  const choice = session.toolChoice;
  if (isObject(choice) && !names.has(String(choice.name))) {
    issues.push({ path: [...at, 'toolChoice', 'name'], message: `names no tool in tools ("${String(choice.name)}")` });
  }
  return issues;
}

/** Problems of `value` as a bootstrap's policy. */
export function policyIssues(value: unknown, at: PropertyKey[] = []): BootstrapIssue[] {
  const result = validateToolArguments(bootstrapPolicyJsonSchema, value, { maxErrors: 5 });
  return result.valid ? [] : result.errors.map((issue) => located(issue, at));
}

/** A validator issue (`/a/0/b`, "/a/0/b must be …") as a path under `at` and the message without its subject. */
function located(issue: { path: string; message: string }, at: PropertyKey[]): BootstrapIssue {
  const path = issue.path
    .split('/')
    .filter(Boolean)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  return { path: [...at, ...path], message: issue.message.replace(/^(arguments|\/\S*)\s+/, '') };
}

const text = (value: unknown) => typeof value === 'string' && value.length > 0;

/** Whether `value` is an absolute URL whose scheme is one of `schemes`. */
function urlWith(value: unknown, schemes: string[]): boolean {
  if (typeof value !== 'string') return false;
  try {
    return schemes.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** GPT-Live's `live` block: who handles delegations, and the client events the page may send. */
function liveInfo(value: unknown): boolean {
  if (!isObject(value)) return false;
  const events = value.allowedClientEvents;
  return (
    ['client', 'responses', 'decisions'].includes(value.delegation as string) &&
    (events === 'all' || (Array.isArray(events) && events.every((event) => typeof event === 'string')))
  );
}

/**
 * Each variant's own fields (name → check and what it must be), and whether it carries a client secret
 * (the server-side SDP exchanges, `openai-webrtc` and GPT-Live, do not).
 */
const VARIANTS: Record<string, { transport: string; secret: boolean; fields: Record<string, [check: (value: unknown) => boolean, expected: string]> }> = {
  'openai-agents-webrtc': {
    transport: 'webrtc',
    secret: true,
    fields: { callsUrl: [(value) => urlWith(value, ['http:', 'https:']), 'an http(s) URL'] },
  },
  'openai-webrtc': {
    transport: 'webrtc',
    secret: false,
    fields: { answerSdp: [text, 'a non-empty string'], callId: [text, 'a non-empty string'] },
  },
  'openai-websocket': {
    transport: 'websocket',
    secret: true,
    fields: { url: [(value) => urlWith(value, ['ws:', 'wss:']), 'a ws(s) URL'] },
  },
  'openai-live-webrtc': {
    transport: 'webrtc',
    secret: false,
    fields: {
      answerSdp: [text, 'a non-empty string'],
      sessionId: [text, 'a non-empty string'],
      live: [liveInfo, 'an object with delegation (client, responses or decisions) and allowedClientEvents ("all" or a list of names)'],
    },
  },
};

/** Problems of `value` as a bootstrap of one of the built-in adapters. */
export function bootstrapIssues(value: unknown): BootstrapIssue[] {
  if (!isObject(value)) return [{ path: [], message: 'expected an object' }];
  const variant = VARIANTS[String(value.adapter)];
  if (!variant || !Object.hasOwn(VARIANTS, String(value.adapter))) {
    return [{ path: ['adapter'], message: `must be one of ${Object.keys(VARIANTS).join(', ')}` }];
  }
  const issues: BootstrapIssue[] = [];
  if (value.transport !== variant.transport) issues.push({ path: ['transport'], message: `must be "${variant.transport}"` });
  if (variant.secret) {
    const secret = value.clientSecret;
    if (!isObject(secret)) issues.push({ path: ['clientSecret'], message: 'must be an object' });
    else {
      if (!text(secret.value)) issues.push({ path: ['clientSecret', 'value'], message: 'must be a non-empty string' });
      const expiresAt = secret.expiresAt;
      if (!(Number.isSafeInteger(expiresAt) && (expiresAt as number) >= 0)) {
        issues.push({ path: ['clientSecret', 'expiresAt'], message: 'must be a non-negative integer (Unix seconds)' });
      }
    }
  }
  for (const [field, [check, expected]] of Object.entries(variant.fields)) {
    if (!check(value[field])) issues.push({ path: [field], message: `must be ${expected}` });
  }
  issues.push(...sessionConfigIssues(value.session, ['session']));
  if (value.policy !== undefined) issues.push(...policyIssues(value.policy, ['policy']));
  return issues;
}

/**
 * The built-in adapters' bootstrap check, in the shape of zod's `safeParse` (what custom adapters give
 * as `bootstrapSchema`). The data is the bootstrap as sent: fields it does not know are kept, as an
 * older page must still connect to a newer server.
 */
export const builtInBootstrapSchema: BootstrapSchema = {
  safeParse(value) {
    const issues = bootstrapIssues(value);
    return issues.length === 0 ? { success: true, data: value } : { success: false, error: { issues } };
  },
};
