import { expect } from '@open-wc/testing';
import { z } from 'zod';
import { ensureObjectSchema, isZodSchema, toJsonSchema, type JsonSchema } from './schema.js';
import { validateToolArguments } from './validate-arguments.js';

function messages(schema: JsonSchema, value: unknown): string[] {
  const result = validateToolArguments(schema, value);
  return result.valid ? [] : result.errors.map((issue) => issue.message);
}

describe('isZodSchema', () => {
  it('recognises zod schemas', () => {
    expect(isZodSchema(z.object({}))).to.equal(true);
    expect(isZodSchema(z.string())).to.equal(true);
  });

  it('does not mistake JSON Schemas or odd values for zod', () => {
    expect(isZodSchema({ type: 'object' })).to.equal(false);
    expect(isZodSchema({ _zod: 'not internals' })).to.equal(false);
    expect(isZodSchema(null)).to.equal(false);
    expect(isZodSchema(true)).to.equal(false);
    expect(isZodSchema(Object.create(null))).to.equal(false);
  });
});

describe('toJsonSchema', () => {
  const weather = z.object({
    city: z.string().min(2).max(40),
    unit: z.enum(['celsius', 'fahrenheit']).optional(),
    days: z.number().int().min(1).max(7),
    stops: z.array(z.object({ name: z.string(), minutes: z.number().min(0) })).max(3),
  });

  it('converts a zod object to draft 2020-12 JSON Schema without $schema', () => {
    const schema = toJsonSchema(weather) as Record<string, unknown>;
    expect(schema).not.to.have.property('$schema');
    expect(schema).to.deep.equal({
      type: 'object',
      properties: {
        city: { type: 'string', minLength: 2, maxLength: 40 },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
        stops: {
          type: 'array',
          maxItems: 3,
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, minutes: { type: 'number', minimum: 0 } },
            required: ['name', 'minutes'],
            additionalProperties: false,
          },
        },
      },
      required: ['city', 'days', 'stops'],
      additionalProperties: false,
    });
  });

  it('produces a schema that validates arguments the way the zod schema would', () => {
    const schema = toJsonSchema(weather);
    const good = { city: 'Oslo', days: 3, stops: [{ name: 'Bergen', minutes: 10 }] };
    expect(validateToolArguments(schema, good)).to.deep.equal({ valid: true });
    expect(weather.safeParse(good).success).to.equal(true);

    const bad = { city: 'O', unit: 'kelvin', days: 8.5, stops: [{ name: 1, minutes: -1 }, {}, {}, {}], wind: true };
    expect(weather.safeParse(bad).success).to.equal(false);
    expect(messages(schema, bad)).to.deep.equal([
      '/city must be at least 2 characters long',
      '/unit must be one of "celsius", "fahrenheit"',
      '/days must be an integer, got 8.5',
      '/stops must contain at most 3 items, got 4',
      '/stops/0/name must be a string, got 1',
      '/stops/0/minutes must be >= 0',
      '/stops/1 is missing required property "name"',
      '/stops/1 is missing required property "minutes"',
      '/stops/2 is missing required property "name"',
      '/stops/2 is missing required property "minutes"',
      '/stops/3 is missing required property "name"',
      '/stops/3 is missing required property "minutes"',
      '/wind is not allowed (additionalProperties: false)',
    ]);
    expect(messages(schema, { days: 1, stops: [] })).to.deep.equal(['missing required property "city"']);
  });

  it('converts recursive zod schemas into refs the validator follows', () => {
    interface Node {
      label: string;
      children: Node[];
    }
    const node: z.ZodType<Node> = z.object({ label: z.string(), get children() { return z.array(node); } });
    const schema = toJsonSchema(node);
    expect(validateToolArguments(schema, { label: 'a', children: [{ label: 'b', children: [] }] }).valid).to.equal(true);
    expect(messages(schema, { label: 'a', children: [{ label: 2, children: [] }] })).to.deep.equal([
      '/children/0/label must be a string, got 2',
    ]);
  });

  it('throws a TypeError naming the cause when zod cannot represent the schema', () => {
    const withTransform = z.object({ n: z.string().transform((text) => text.length) });
    expect(() => toJsonSchema(withTransform)).to.throw(TypeError, /zod schema cannot be converted to JSON Schema: .*Transforms/);
  });

  it('passes a plain JSON Schema through without $schema and without mutating it', () => {
    const input: JsonSchema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: {} };
    expect(toJsonSchema(input)).to.deep.equal({ type: 'object', properties: {} });
    expect(input).to.have.property('$schema');
  });

  it('passes boolean schemas through', () => {
    expect(toJsonSchema(true)).to.equal(true);
  });

  it('rejects values that are neither JSON Schema nor zod', () => {
    expect(() => toJsonSchema(null as unknown as JsonSchema)).to.throw(TypeError, /got null/);
    expect(() => toJsonSchema([] as unknown as JsonSchema)).to.throw(TypeError, /got array/);
    expect(() => toJsonSchema('object' as unknown as JsonSchema)).to.throw(TypeError, /got string/);
  });
});

describe('ensureObjectSchema', () => {
  it('returns an object schema unchanged', () => {
    const schema: JsonSchema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(ensureObjectSchema(schema)).to.equal(schema);
    expect(ensureObjectSchema(toJsonSchema(z.object({ a: z.string() })))).to.have.property('type', 'object');
  });

  it('throws a TypeError for a non-object top-level type, naming the tool', () => {
    expect(() => ensureObjectSchema({ type: 'string' }, 'lookup')).to.throw(
      TypeError,
      'tool "lookup" parameters must have type: "object" at the top level (function tools take an object of named arguments), got type: "string"',
    );
    expect(() => ensureObjectSchema({ type: ['object', 'null'] })).to.throw(TypeError, /got type: \["object","null"\]/);
    expect(() => ensureObjectSchema({ anyOf: [{ type: 'object' }] })).to.throw(TypeError, /got no type/);
    expect(() => ensureObjectSchema(toJsonSchema(z.string()))).to.throw(TypeError, /got type: "string"/);
  });

  it('throws a TypeError for boolean and non-object schemas', () => {
    expect(() => ensureObjectSchema(true)).to.throw(TypeError, /got boolean true/);
    expect(() => ensureObjectSchema(null as unknown as JsonSchema)).to.throw(TypeError, /got null/);
  });
});
