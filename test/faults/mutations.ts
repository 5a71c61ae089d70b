// Deterministic garbage for the fault suite: mutations of the server event examples in OpenAI's schema
// (`$defs.RealtimeServerEvent*` → `x-oaiMeta.example`), as raw frames. Shared by the Node test of the
// event mapper and the browser tests that inject the frames into live sessions through the emulator.
// No DOM and no Node built-ins: the caller loads the schema (readFileSync or fetch).

/** The parts of the schema read here. */
export interface SchemaWithExamples {
  $defs: Record<string, { 'x-oaiMeta'?: { example?: unknown } } | undefined>;
}

/** One example event of the schema, parsed. */
export interface ServerEventExample {
  definition: string;
  event: Record<string, unknown>;
}

/** One generated frame and how it was made (for failure messages). */
export interface MutatedFrame {
  frame: string;
  mutation: string;
  definition: string;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same frames on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The schema's server event examples that are valid JSON objects (some examples are not; skipped). */
export function serverEventExamples(schema: SchemaWithExamples): ServerEventExample[] {
  const examples: ServerEventExample[] = [];
  for (const [definition, body] of Object.entries(schema.$defs)) {
    if (!definition.startsWith('RealtimeServerEvent')) continue;
    const example = body?.['x-oaiMeta']?.example;
    if (typeof example !== 'string') continue;
    try {
      const event: unknown = JSON.parse(example);
      if (typeof event === 'object' && event !== null && !Array.isArray(event)) {
        examples.push({ definition, event: event as Record<string, unknown> });
      }
    } catch {
      // Not JSON (a few examples in the schema are not): nothing to mutate.
    }
  }
  return examples;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Options of {@link mutateServerEvents}. */
export interface MutationOptions {
  count?: number;
  seed?: number;
  /** Length of the "huge" strings (default 16 000). */
  hugeLength?: number;
}

const UNKNOWN_TYPES = [
  'response.output_text.delta.v2',
  'session.exploded',
  'x-charivo.unknown',
  '',
  'RESPONSE.DONE',
  'response.',
  '.',
  'conversation.item.input_audio_transcription.delta.extra',
];

/**
 * `count` frames (default 1 000): every kind of mutation in turn (dropped fields, changed types, nulls,
 * huge strings, wrong nesting, unknown types, truncated JSON, non-object JSON, prototype keys,
 * several at once), each applied to the next example in a seeded random order.
 */
export function mutateServerEvents(schema: SchemaWithExamples, options: MutationOptions = {}): MutatedFrame[] {
  const count = options.count ?? 1000;
  const random = seededRandom(options.seed ?? 0xc4a21);
  const huge = options.hugeLength ?? 16_000;
  const examples = serverEventExamples(schema);
  if (examples.length === 0) throw new Error('the schema has no parseable server event examples');

  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const clone = (event: Record<string, unknown>) => JSON.parse(JSON.stringify(event)) as Record<string, Json>;

  /** Every path in the value (objects and arrays, depth first), the root excluded. */
  const paths = (value: Json, prefix: Path = [], out: Path[] = []): Path[] => {
    if (Array.isArray(value)) value.forEach((item, index) => (out.push([...prefix, index]), paths(item, [...prefix, index], out)));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        out.push([...prefix, key]);
        paths(item, [...prefix, key], out);
      }
    }
    return out;
  };
  const parentOf = (root: Json, path: Path): { parent: Record<string, Json> | Json[]; key: string | number } => {
    let node = root as Record<string, Json> | Json[];
    for (const step of path.slice(0, -1)) node = (node as Record<string | number, Json>)[step] as Record<string, Json> | Json[];
    return { parent: node, key: path.at(-1)! };
  };
  const get = (root: Json, path: Path): Json => {
    const { parent, key } = parentOf(root, path);
    return (parent as Record<string | number, Json>)[key]!;
  };
  const set = (root: Json, path: Path, value: Json): void => {
    const { parent, key } = parentOf(root, path);
    (parent as Record<string | number, Json>)[key] = value;
  };
  const remove = (root: Json, path: Path): void => {
    const { parent, key } = parentOf(root, path);
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  };
  const otherType = (value: Json): Json => {
    const choices: Json[] = [
      42,
      -1,
      0,
      1e308,
      3.5,
      true,
      false,
      'text',
      '',
      [],
      [value],
      {},
      { nested: value },
      '{"type":"response.done"}',
    ];
    const differentType = choices.filter((choice) => kind(choice) !== kind(value));
    return pick(differentType.length ? differentType : choices);
  };
  const randomPath = (event: Json): Path | undefined => {
    const all = paths(event);
    return all.length ? pick(all) : undefined;
  };

  const mutations: Array<[string, (event: Record<string, Json>) => string]> = [
    [
      'drop a field',
      (event) => {
        const path = randomPath(event);
        if (path) remove(event, path);
        return JSON.stringify(event);
      },
    ],
    [
      'drop every top-level field but type',
      (event) => JSON.stringify({ type: event.type ?? null }),
    ],
    [
      'change a field type',
      (event) => {
        const path = randomPath(event);
        if (path) set(event, path, otherType(get(event, path)));
        return JSON.stringify(event);
      },
    ],
    [
      'null a field',
      (event) => {
        const path = randomPath(event);
        if (path) set(event, path, null);
        return JSON.stringify(event);
      },
    ],
    [
      'huge string',
      (event) => {
        const strings = paths(event).filter((path) => typeof get(event, path) === 'string' && path.at(-1) !== 'type');
        const path = strings.length ? pick(strings) : ['delta'];
        const unit = pick(['a', '\u00e9', '\ud83d\ude00', '\\', '"', '\u0000']);
        set(event, path, unit.repeat(Math.ceil(huge / unit.length)));
        return JSON.stringify(event);
      },
    ],
    [
      'wrong nesting',
      (event) => {
        const path = randomPath(event);
        if (!path) return JSON.stringify([event]);
        const value = get(event, path);
        set(event, path, pick<Json>([[value], { value }, [[value]], { [String(path.at(-1))]: value }]));
        return JSON.stringify(event);
      },
    ],
    [
      'payload moved under another key',
      (event) => {
        const { type, ...rest } = event;
        return JSON.stringify({ type: type ?? null, [pick(['data', 'event', 'payload', 'response'])]: rest });
      },
    ],
    [
      'unknown type',
      (event) => {
        event.type = pick(UNKNOWN_TYPES);
        return JSON.stringify(event);
      },
    ],
    [
      'type of the wrong kind',
      (event) => {
        event.type = pick<Json>([null, 7, true, ['response.done'], { type: 'response.done' }]);
        return JSON.stringify(event);
      },
    ],
    [
      'type missing',
      (event) => {
        delete event.type;
        return JSON.stringify(event);
      },
    ],
    [
      'truncated JSON',
      (event) => {
        const text = JSON.stringify(event);
        return text.slice(0, Math.max(1, Math.floor(random() * (text.length - 1))));
      },
    ],
    [
      'non-object JSON',
      (event) =>
        pick([
          'null',
          '0',
          '-1.5e300',
          'true',
          '"response.done"',
          '[]',
          JSON.stringify([event]),
          JSON.stringify(JSON.stringify(event)),
          '{}',
          '',
          ' ',
          'undefined',
          'NaN',
          '\ufeff{}',
        ]),
    ],
    [
      'prototype keys',
      (event) => {
        const text = JSON.stringify(event);
        const injected = pick([
          '"__proto__":{"type":"response.done","polluted":true}',
          '"constructor":{"prototype":{"polluted":true}}',
          '"toString":"not a function"',
          '"hasOwnProperty":1',
          '"valueOf":null',
        ]);
        return text.length > 2 ? `{${injected},${text.slice(1)}` : `{${injected}}`;
      },
    ],
    [
      'ids swapped for other shapes',
      (event) => {
        const ids = paths(event).filter((path) => /(^|_)id$/.test(String(path.at(-1))));
        for (const path of ids) set(event, path, pick<Json>(['', ' ', 0, null, {}, ['resp_001'], 'resp_001', 'x'.repeat(1000)]));
        return JSON.stringify(event);
      },
    ],
    [
      'several at once',
      (event) => {
        for (let i = 0; i < 4; i += 1) {
          const path = randomPath(event);
          if (!path) break;
          const roll = random();
          if (roll < 0.3) remove(event, path);
          else if (roll < 0.6) set(event, path, otherType(get(event, path)));
          else set(event, path, null);
        }
        return JSON.stringify(event);
      },
    ],
  ];

  const frames: MutatedFrame[] = [];
  for (let index = 0; index < count; index += 1) {
    const [mutation, apply] = mutations[index % mutations.length]!;
    const example = pick(examples);
    frames.push({ frame: apply(clone(example.event)), mutation, definition: example.definition });
  }
  return frames;
}

function kind(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
