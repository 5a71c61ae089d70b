import { expect } from '@open-wc/testing';
import type { JsonSchema } from './schema.js';
import { validateToolArguments, type ToolArgumentIssue } from './validate-arguments.js';

function issues(schema: JsonSchema, value: unknown, options = {}): ToolArgumentIssue[] {
  const result = validateToolArguments(schema, value, options);
  return result.valid ? [] : result.errors;
}

function messages(schema: JsonSchema, value: unknown, options = {}): string[] {
  return issues(schema, value, options).map((issue) => issue.message);
}

function expectValid(schema: JsonSchema, value: unknown): void {
  expect(validateToolArguments(schema, value)).to.deep.equal({ valid: true });
}

describe('validateToolArguments', () => {
  describe('type', () => {
    it('accepts each JSON type when it matches', () => {
      expectValid({ type: 'object' }, {});
      expectValid({ type: 'array' }, []);
      expectValid({ type: 'string' }, '');
      expectValid({ type: 'number' }, 1.5);
      expectValid({ type: 'number' }, 2);
      expectValid({ type: 'integer' }, 3);
      expectValid({ type: 'integer' }, 3.0);
      expectValid({ type: 'boolean' }, false);
      expectValid({ type: 'null' }, null);
    });

    it('rejects a mismatched type with the expected and actual type', () => {
      expect(issues({ type: 'object' }, [])).to.deep.equal([{ path: '', message: 'arguments must be an object, got an array' }]);
      expect(messages({ type: 'string' }, 5)).to.deep.equal(['arguments must be a string, got 5']);
      expect(messages({ type: 'array' }, {})).to.deep.equal(['arguments must be an array, got an object']);
      expect(messages({ type: 'boolean' }, 'true')).to.deep.equal(['arguments must be a boolean, got a string']);
      expect(messages({ type: 'null' }, 0)).to.deep.equal(['arguments must be null, got 0']);
      expect(messages({ type: 'object' }, null)).to.deep.equal(['arguments must be an object, got null']);
      expect(messages({ type: 'object' }, undefined)).to.deep.equal(['arguments must be an object, got undefined']);
    });

    it('rejects a fractional number where an integer is required', () => {
      expect(messages({ properties: { n: { type: 'integer' } } }, { n: 1.5 })).to.deep.equal(['/n must be an integer, got 1.5']);
    });

    it('accepts any member of a union type array and names all members when none match', () => {
      const schema: JsonSchema = { type: ['string', 'null'] };
      expectValid(schema, 'x');
      expectValid(schema, null);
      expect(messages(schema, 1)).to.deep.equal(['arguments must be a string or null, got 1']);
      expectValid({ type: ['integer', 'boolean'] }, true);
      expect(messages({ type: ['integer', 'boolean'] }, 0.5)).to.deep.equal(['arguments must be an integer or a boolean, got 0.5']);
    });

    it('reports an unknown type name as a schema error', () => {
      const [message] = messages({ type: 'date' } as unknown as JsonSchema, 'x');
      expect(message).to.match(/^schema error: "type" must name JSON types/);
    });
  });

  describe('enum and const', () => {
    it('accepts a listed enum value, including structured ones', () => {
      expectValid({ enum: ['a', 'b'] }, 'b');
      expectValid({ enum: [{ x: [1, 2] }, null] }, { x: [1, 2] });
      expectValid({ enum: [1] }, 1.0);
    });

    it('lists the allowed values when the enum does not match', () => {
      expect(issues({ properties: { mode: { enum: ['a', 'b'] } } }, { mode: 'c' })).to.deep.equal([
        { path: '/mode', message: '/mode must be one of "a", "b"' },
      ]);
      expect(messages({ enum: [{ x: 1 }] }, { x: 2 })).to.deep.equal(['arguments must be one of {"x":1}']);
    });

    it('shortens a long enum list in the message', () => {
      const options = Array.from({ length: 15 }, (_, index) => `v${index}`);
      const [message] = messages({ enum: options }, 'nope');
      expect(message).to.contain('"v9", … (5 more)');
      expect(message).not.to.contain('"v10"');
    });

    it('accepts an equal const and rejects a different one', () => {
      expectValid({ const: 'x' }, 'x');
      expectValid({ const: { a: [1, { b: null }] } }, { a: [1, { b: null }] });
      expect(messages({ properties: { k: { const: 'x' } } }, { k: 'y' })).to.deep.equal(['/k must be equal to "x"']);
      expect(messages({ const: null }, 0)).to.deep.equal(['arguments must be equal to null']);
    });

    it('compares objects by own keys, ignoring key order', () => {
      expectValid({ const: { a: 1, b: 2 } }, { b: 2, a: 1 });
      expect(messages({ const: { a: 1 } }, { a: 1, b: 2 })).to.have.length(1);
    });
  });

  describe('objects', () => {
    const person: JsonSchema = {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name'],
    };

    it('accepts an object with its required properties', () => {
      expectValid(person, { name: 'Ada' });
      expectValid(person, { name: 'Ada', age: 36, extra: true });
    });

    it('reports each missing required property at the path it would have', () => {
      expect(issues({ required: ['name', 'id'] }, {})).to.deep.equal([
        { path: '/name', message: 'missing required property "name"' },
        { path: '/id', message: 'missing required property "id"' },
      ]);
    });

    it('names the containing object for a missing property below the root', () => {
      expect(issues({ properties: { user: person } }, { user: { age: 3 } })).to.deep.equal([
        { path: '/user/name', message: '/user is missing required property "name"' },
      ]);
    });

    it('validates each declared property against its schema', () => {
      expect(messages(person, { name: 7, age: 'old' })).to.deep.equal([
        '/name must be a string, got 7',
        '/age must be an integer, got a string',
      ]);
    });

    it('rejects undeclared properties when additionalProperties is false', () => {
      const schema: JsonSchema = { type: 'object', properties: { a: { type: 'number' } }, additionalProperties: false };
      expectValid(schema, { a: 1 });
      expect(issues(schema, { a: 1, extra: 2 })).to.deep.equal([
        { path: '/extra', message: '/extra is not allowed (additionalProperties: false)' },
      ]);
    });

    it('validates undeclared properties against an additionalProperties schema', () => {
      const schema: JsonSchema = { properties: { id: { type: 'string' } }, additionalProperties: { type: 'number', minimum: 0 } };
      expectValid(schema, { id: 'x', score: 2, other: 0 });
      expect(messages(schema, { id: 'x', score: -1, note: 'hi' })).to.deep.equal([
        '/score must be >= 0',
        '/note must be a number, got a string',
      ]);
    });

    it('applies patternProperties and exempts matching keys from additionalProperties', () => {
      const schema: JsonSchema = { patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false };
      expectValid(schema, { 'x-trace': 'abc' });
      expect(messages(schema, { 'x-trace': 1, other: 1 })).to.deep.equal([
        '/x-trace must be a string, got 1',
        '/other is not allowed (additionalProperties: false)',
      ]);
    });

    it('checks property names against propertyNames', () => {
      const schema: JsonSchema = { propertyNames: { pattern: '^[a-z]+$' } };
      expectValid(schema, { abc: 1 });
      expect(issues(schema, { Abc: 1 })).to.deep.equal([
        { path: '/Abc', message: 'arguments has an invalid property name "Abc": must match pattern "^[a-z]+$"' },
      ]);
    });

    it('enforces minProperties and maxProperties', () => {
      expect(messages({ minProperties: 1 }, {})).to.deep.equal(['arguments must have at least 1 property']);
      expect(messages({ maxProperties: 1 }, { a: 1, b: 2 })).to.deep.equal(['arguments must have at most 1 property']);
      expect(messages({ minProperties: 2 }, { a: 1 })).to.deep.equal(['arguments must have at least 2 properties']);
    });

    it('escapes "/" and "~" in property names in paths', () => {
      expect(issues({ additionalProperties: false }, { 'a/b~c': 1 })).to.deep.equal([
        { path: '/a~1b~0c', message: '/a~1b~0c is not allowed (additionalProperties: false)' },
      ]);
    });
  });

  describe('prototype-related property names', () => {
    it('does not treat inherited Object.prototype members as declared properties', () => {
      const schema: JsonSchema = { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false };
      const value = JSON.parse('{"constructor": 1, "__proto__": {"polluted": true}, "prototype": 2, "toString": 3}');
      expect(messages(schema, value)).to.deep.equal([
        '/constructor is not allowed (additionalProperties: false)',
        '/__proto__ is not allowed (additionalProperties: false)',
        '/prototype is not allowed (additionalProperties: false)',
        '/toString is not allowed (additionalProperties: false)',
      ]);
      expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    });

    it('validates declared properties named __proto__, constructor and prototype', () => {
      const schema: JsonSchema = JSON.parse(
        '{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"number"},"prototype":{"type":"boolean"}},"required":["__proto__","constructor","prototype"]}',
      );
      expectValid(schema, JSON.parse('{"__proto__":"p","constructor":1,"prototype":true}'));
      expect(messages(schema, JSON.parse('{"__proto__":1,"constructor":"c","prototype":null}'))).to.deep.equal([
        '/__proto__ must be a string, got 1',
        '/constructor must be a number, got a string',
        '/prototype must be a boolean, got null',
      ]);
    });

    it('counts only own properties towards required', () => {
      const inherited = Object.create({ name: 'from prototype' }) as Record<string, unknown>;
      expect(messages({ required: ['name', 'toString'] }, inherited)).to.deep.equal([
        'missing required property "name"',
        'missing required property "toString"',
      ]);
    });
  });

  describe('arrays', () => {
    it('validates every item against items', () => {
      expectValid({ items: { type: 'number' } }, [1, 2]);
      expect(issues({ items: { type: 'number' } }, [1, 'x', 3, null])).to.deep.equal([
        { path: '/1', message: '/1 must be a number, got a string' },
        { path: '/3', message: '/3 must be a number, got null' },
      ]);
    });

    it('validates tuple positions with prefixItems and the rest with items', () => {
      const schema: JsonSchema = { prefixItems: [{ type: 'string' }, { type: 'number' }], items: { type: 'boolean' } };
      expectValid(schema, ['a', 1, true, false]);
      expect(messages(schema, [1, 'a', 'no'])).to.deep.equal([
        '/0 must be a string, got 1',
        '/1 must be a number, got a string',
        '/2 must be a boolean, got a string',
      ]);
    });

    it('rejects items beyond prefixItems when items is false', () => {
      const schema: JsonSchema = { prefixItems: [{ type: 'string' }], items: false };
      expectValid(schema, ['a']);
      expect(issues(schema, ['a', 'b', 'c'])).to.deep.equal([
        { path: '/1', message: '/1 is not allowed: arguments may contain at most 1 item' },
      ]);
    });

    it('supports the legacy tuple form of items with additionalItems', () => {
      const schema = { items: [{ type: 'string' }], additionalItems: false } as JsonSchema;
      expectValid(schema, ['a']);
      expect(messages(schema, [1, 2])).to.deep.equal(['/0 must be a string, got 1', '/1 is not allowed: arguments may contain at most 1 item']);
    });

    it('enforces minItems and maxItems', () => {
      expectValid({ minItems: 1, maxItems: 2 }, [1]);
      expect(messages({ minItems: 2 }, [1])).to.deep.equal(['arguments must contain at least 2 items, got 1']);
      expect(messages({ maxItems: 1 }, [1, 2])).to.deep.equal(['arguments must contain at most 1 item, got 2']);
    });

    it('enforces uniqueItems with deep equality', () => {
      expectValid({ uniqueItems: true }, [1, '1', { a: 1 }, { a: 2 }]);
      expect(messages({ uniqueItems: true }, [{ a: 1, b: 2 }, 3, { b: 2, a: 1 }])).to.deep.equal([
        'arguments must not contain duplicate items (items 0 and 2 are equal)',
      ]);
      expectValid({ uniqueItems: false }, [1, 1]);
    });
  });

  describe('strings', () => {
    it('counts minLength and maxLength in code points, not UTF-16 units', () => {
      const schema: JsonSchema = { type: 'string', minLength: 2, maxLength: 3 };
      expectValid(schema, '😀😀😀');
      expectValid(schema, 'ab');
      expect(messages(schema, '😀')).to.deep.equal(['arguments must be at least 2 characters long']);
      expect(messages(schema, 'abcd')).to.deep.equal(['arguments must be at most 3 characters long']);
      expect(messages({ minLength: 1 }, '')).to.deep.equal(['arguments must be at least 1 character long']);
    });

    it('matches pattern anywhere in the string, as JSON Schema does', () => {
      expectValid({ pattern: 'b' }, 'abc');
      expectValid({ pattern: '^\\d{3}-\\d{4}$' }, '555-1234');
      expect(messages({ properties: { phone: { pattern: '^\\d{3}-\\d{4}$' } } }, { phone: '5551234' })).to.deep.equal([
        '/phone must match pattern "^\\\\d{3}-\\\\d{4}$"',
      ]);
    });

    it('uses Unicode regex semantics when the pattern allows it', () => {
      expectValid({ pattern: '^\\p{L}+$' }, 'héllo');
      expectValid({ pattern: '^.$' }, '😀');
    });

    it('falls back to non-Unicode mode for escapes only that mode accepts', () => {
      expectValid({ pattern: '^a\\-b$' }, 'a-b');
    });

    it('reports an invalid pattern once as a schema error instead of throwing', () => {
      const schema: JsonSchema = { type: 'array', items: { type: 'string', pattern: '([a-z' } };
      const result = issues(schema, ['a', 'b', 'c']);
      expect(result).to.have.length(1);
      expect(result[0]!.path).to.equal('/0');
      expect(result[0]!.message).to.match(/^schema error: pattern "\(\[a-z" is not a valid regular expression/);
    });

    it('ignores format', () => {
      expectValid({ type: 'string', format: 'email' }, 'not an email');
    });

    it('does not apply string keywords to other types', () => {
      expectValid({ minLength: 3, pattern: '^x' }, 5);
    });
  });

  describe('numbers', () => {
    it('enforces inclusive minimum and maximum', () => {
      const schema: JsonSchema = { properties: { count: { type: 'integer', minimum: 1, maximum: 10 } } };
      expectValid(schema, { count: 1 });
      expectValid(schema, { count: 10 });
      expect(issues(schema, { count: 11 })).to.deep.equal([{ path: '/count', message: '/count must be <= 10' }]);
      expect(messages(schema, { count: 0 })).to.deep.equal(['/count must be >= 1']);
    });

    it('enforces numeric exclusiveMinimum and exclusiveMaximum', () => {
      const schema: JsonSchema = { exclusiveMinimum: 0, exclusiveMaximum: 1 };
      expectValid(schema, 0.5);
      expect(messages(schema, 0)).to.deep.equal(['arguments must be > 0']);
      expect(messages(schema, 1)).to.deep.equal(['arguments must be < 1']);
    });

    it('reports the draft-04 boolean exclusiveMinimum as a schema error', () => {
      const [message] = messages({ minimum: 0, exclusiveMinimum: true } as unknown as JsonSchema, 5);
      expect(message).to.match(/^schema error: "exclusiveMinimum" must be a number, got true; the draft-04 boolean form/);
    });

    it('enforces multipleOf, tolerating binary floating point', () => {
      expectValid({ multipleOf: 0.1 }, 0.3);
      expectValid({ multipleOf: 0.01 }, 19.99);
      expectValid({ multipleOf: 5 }, -15);
      expect(messages({ multipleOf: 0.5 }, 0.75)).to.deep.equal(['arguments must be a multiple of 0.5']);
      expect(messages({ multipleOf: 3 }, 10)).to.deep.equal(['arguments must be a multiple of 3']);
    });

    it('rejects a non-positive multipleOf as a schema error', () => {
      expect(messages({ multipleOf: 0 }, 1)[0]).to.match(/^schema error: "multipleOf" must be greater than 0/);
    });

    it('rejects NaN and Infinity even where any value is allowed', () => {
      expect(messages({ type: 'number' }, Number.NaN)).to.deep.equal(['arguments must be a finite number, got NaN']);
      expect(messages({ properties: { x: true } }, { x: Infinity })).to.deep.equal(['/x must be a finite number, got Infinity']);
      expect(messages({ items: {} }, [-Infinity])).to.deep.equal(['/0 must be a finite number, got -Infinity']);
    });

    it('does not apply number keywords to other types', () => {
      expectValid({ minimum: 10, multipleOf: 7 }, 'text');
    });
  });

  describe('boolean schemas', () => {
    it('accepts anything under true and nothing under false', () => {
      expectValid(true, { anything: [1, 'x'] });
      expect(issues(false, {})).to.deep.equal([{ path: '', message: 'arguments is not allowed (schema is false)' }]);
      expect(messages({ properties: { gone: false } }, { gone: 1 })).to.deep.equal(['/gone is not allowed (schema is false)']);
    });
  });

  describe('combinators', () => {
    it('passes anyOf when one alternative matches', () => {
      expectValid({ anyOf: [{ type: 'string' }, { type: 'number', minimum: 0 }] }, 3);
    });

    it('explains each failed anyOf alternative', () => {
      expect(messages({ properties: { v: { anyOf: [{ type: 'string' }, { type: 'number', minimum: 0 }] } } }, { v: -1 })).to.deep.equal([
        '/v must match at least one schema in anyOf: anyOf[0]: /v must be a string, got -1 | anyOf[1]: /v must be >= 0',
      ]);
    });

    it('passes oneOf only when exactly one alternative matches', () => {
      const schema: JsonSchema = { oneOf: [{ type: 'integer' }, { type: 'number', maximum: 1 }] };
      expectValid(schema, 5);
      expectValid(schema, 0.5);
      expect(messages(schema, 1)).to.deep.equal(['arguments must match exactly one schema in oneOf, but matched oneOf[0] and oneOf[1]']);
      expect(messages(schema, 1.5)).to.deep.equal([
        'arguments must match exactly one schema in oneOf, but matched none: oneOf[0]: arguments must be an integer, got 1.5 | oneOf[1]: arguments must be <= 1',
      ]);
    });

    it('requires every allOf schema and reports each failure', () => {
      const schema: JsonSchema = { allOf: [{ required: ['a'] }, { required: ['b'] }, { properties: { a: { type: 'string' } } }] };
      expectValid(schema, { a: 'x', b: 1 });
      expect(messages(schema, { a: 1 })).to.deep.equal(['missing required property "b"', '/a must be a string, got 1']);
    });

    it('rejects a value that matches not', () => {
      const schema: JsonSchema = { properties: { name: { type: 'string', not: { const: 'admin' } } } };
      expectValid(schema, { name: 'ada' });
      expect(messages(schema, { name: 'admin' })).to.deep.equal(['/name must not match the schema in "not"']);
    });

    it('does not let failures inside a passing alternative leak into the result', () => {
      expectValid({ anyOf: [{ required: ['a'] }, { required: ['b'] }] }, { b: 1 });
    });

    it('distinguishes object shapes in a union of objects', () => {
      const schema: JsonSchema = {
        oneOf: [
          { type: 'object', properties: { kind: { const: 'circle' }, r: { type: 'number' } }, required: ['kind', 'r'] },
          { type: 'object', properties: { kind: { const: 'square' }, side: { type: 'number' } }, required: ['kind', 'side'] },
        ],
      };
      expectValid(schema, { kind: 'circle', r: 1 });
      expectValid(schema, { kind: 'square', side: 2 });
      const [message] = messages(schema, { kind: 'square', r: 1 });
      expect(message).to.contain('oneOf[0]: /kind must be equal to "circle"');
      expect(message).to.contain('oneOf[1]: missing required property "side"');
    });
  });

  describe('nesting', () => {
    const order: JsonSchema = {
      type: 'object',
      properties: {
        customer: {
          type: 'object',
          properties: { name: { type: 'string', minLength: 1 } },
          required: ['name'],
          additionalProperties: false,
        },
        items: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: {
              sku: { type: 'string', pattern: '^[A-Z]{3}-\\d+$' },
              qty: { type: 'integer', minimum: 1 },
              options: { type: 'array', items: { type: 'object', properties: { code: { enum: ['gift', 'rush'] } }, required: ['code'] } },
            },
            required: ['sku', 'qty'],
            additionalProperties: false,
          },
        },
      },
      required: ['customer', 'items'],
    };

    it('accepts a valid deeply nested value', () => {
      expectValid(order, {
        customer: { name: 'Ada' },
        items: [{ sku: 'ABC-1', qty: 2, options: [{ code: 'gift' }] }],
      });
    });

    it('reports errors in objects inside arrays inside objects with full paths', () => {
      expect(
        issues(order, {
          customer: { name: '', vip: true },
          items: [{ sku: 'abc', qty: 0, options: [{ code: 'slow' }, {}] }, { qty: 1, colour: 'red' }],
        }),
      ).to.deep.equal([
        { path: '/customer/name', message: '/customer/name must be at least 1 character long' },
        { path: '/customer/vip', message: '/customer/vip is not allowed (additionalProperties: false)' },
        { path: '/items/0/sku', message: '/items/0/sku must match pattern "^[A-Z]{3}-\\\\d+$"' },
        { path: '/items/0/qty', message: '/items/0/qty must be >= 1' },
        { path: '/items/0/options/0/code', message: '/items/0/options/0/code must be one of "gift", "rush"' },
        { path: '/items/0/options/1/code', message: '/items/0/options/1 is missing required property "code"' },
        { path: '/items/1/sku', message: '/items/1 is missing required property "sku"' },
        { path: '/items/1/colour', message: '/items/1/colour is not allowed (additionalProperties: false)' },
      ]);
    });
  });

  describe('$ref', () => {
    it('resolves #/$defs and #/definitions refs', () => {
      const schema: JsonSchema = {
        $defs: { id: { type: 'string', minLength: 3 } },
        definitions: { n: { type: 'integer' } },
        properties: { a: { $ref: '#/$defs/id' }, b: { $ref: '#/definitions/n' } },
      };
      expectValid(schema, { a: 'abc', b: 2 });
      expect(messages(schema, { a: 'x', b: 'y' })).to.deep.equal([
        '/a must be at least 3 characters long',
        '/b must be an integer, got a string',
      ]);
    });

    it('follows recursive refs to the root, as zod emits for recursive schemas', () => {
      const tree: JsonSchema = {
        type: 'object',
        properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
        required: ['name'],
      };
      expectValid(tree, { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] });
      expect(messages(tree, { name: 'a', children: [{ children: [{ name: 1 }] }] })).to.deep.equal([
        '/children/0 is missing required property "name"',
        '/children/0/children/0/name must be a string, got 1',
      ]);
    });

    it('applies $ref together with sibling keywords', () => {
      const schema: JsonSchema = { $defs: { s: { type: 'string' } }, $ref: '#/$defs/s', maxLength: 2 };
      expect(messages(schema, 'abc')).to.deep.equal(['arguments must be at most 2 characters long']);
    });

    it('unescapes ~1 and ~0 in ref tokens', () => {
      expectValid({ $defs: { 'a/b~c': { const: 1 } }, $ref: '#/$defs/a~1b~0c' }, 1);
    });

    it('reports unresolvable and remote refs as schema errors', () => {
      expect(messages({ $ref: '#/$defs/missing' }, 1)[0]).to.match(/^schema error: \$ref "#\/\$defs\/missing" does not resolve/);
      expect(messages({ $ref: 'https://example.com/s.json' }, 1)[0]).to.match(/^schema error: \$ref .* is not local/);
    });

    it('does not resolve refs through inherited properties', () => {
      expect(messages({ $ref: '#/constructor' }, 1)[0]).to.match(/does not resolve/);
    });
  });

  describe('limits', () => {
    it('stops a circular $ref and reports it once instead of overflowing the stack', () => {
      const loop: JsonSchema = { $defs: { a: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' };
      expect(issues(loop, 1)).to.deep.equal([
        { path: '', message: 'schema error: schema nesting exceeds 256 levels (circular $ref?) (cannot validate arguments)' },
      ]);
      const mutual: JsonSchema = { $defs: { a: { allOf: [{ $ref: '#/$defs/b' }] }, b: { anyOf: [{ $ref: '#/$defs/a' }] } }, $ref: '#/$defs/a' };
      expect(messages(mutual, { x: 1 })[0]).to.match(/^schema error: schema nesting exceeds 256 levels/);
    });

    it('lets recursive schemas reach the full argument depth despite $ref and anyOf hops', () => {
      const tree: JsonSchema = {
        $defs: { node: { anyOf: [{ type: 'null' }, { type: 'object', properties: { next: { $ref: '#/$defs/node' } }, required: ['next'] }] } },
        $ref: '#/$defs/node',
      };
      let list: unknown = null;
      for (let i = 0; i < 60; i += 1) list = { next: list };
      expectValid(tree, list);
    });

    it('keeps recursive unions fast on values that fail every alternative', () => {
      const schema: JsonSchema = {
        $defs: {
          t: {
            anyOf: [
              { type: 'object', properties: { c: { $ref: '#/$defs/t' } }, required: ['x'] },
              { type: 'object', properties: { c: { $ref: '#/$defs/t' } }, required: ['y'] },
            ],
          },
        },
        $ref: '#/$defs/t',
      };
      let value: unknown = { x: 1 };
      for (let i = 0; i < 40; i += 1) value = { c: value };
      const started = performance.now();
      expect(messages(schema, value)).to.have.length(1);
      expect(performance.now() - started).to.be.below(500);
    });

    it('reports over-deep arguments under a recursive schema', () => {
      const nested: JsonSchema = { type: 'array', items: { $ref: '#' } };
      let deep: unknown = [];
      for (let i = 0; i < 100; i += 1) deep = [deep];
      const result = issues(nested, deep);
      expect(result).to.have.length(1);
      expect(result[0]!.message).to.match(/is nested too deeply to validate \(limit 64\)$/);
      let shallow: unknown = [];
      for (let i = 0; i < 10; i += 1) shallow = [shallow];
      expectValid(nested, shallow);
    });

    it('honours a custom maxDepth', () => {
      expect(messages({ items: { items: true } }, [[1]], { maxDepth: 1 })).to.deep.equal(['/0/0 is nested too deeply to validate (limit 1)']);
    });

    it('caps the number of collected errors', () => {
      const many = Array.from({ length: 50 }, () => 'x');
      expect(issues({ items: { type: 'number' } }, many)).to.have.length(20);
      expect(issues({ items: { type: 'number' } }, many, { maxErrors: 3 })).to.have.length(3);
    });

    it('fails rather than passes when the step budget runs out', () => {
      const result = issues({ items: { type: 'number' } }, [1, 2, 3, 4, 5], { maxSteps: 3 });
      expect(result).to.have.length(1);
      expect(result[0]!.message).to.match(/too large or complex to validate/);
    });
  });

  describe('robustness', () => {
    it('reports malformed keywords as schema errors instead of throwing', () => {
      const bad = {
        required: 'name',
        properties: [],
        minimum: '3',
        minLength: -1,
        anyOf: [],
        enum: 'a',
      } as unknown as JsonSchema;
      expect(() => validateToolArguments(bad, 5)).not.to.throw();
      expect(() => validateToolArguments(bad, 'x')).not.to.throw();
      expect(() => validateToolArguments(bad, {})).not.to.throw();
      for (const value of [5, 'x', {}]) {
        expect(validateToolArguments(bad, value).valid).to.equal(false);
      }
    });

    it('reports a non-schema value in a subschema as a schema error', () => {
      expect(messages({ properties: { a: 42 } } as unknown as JsonSchema, { a: 1 })[0]).to.match(
        /^schema error: expected a schema object or boolean, got a number/,
      );
    });

    it('reports unreadable arguments instead of throwing', () => {
      const hostile = new Proxy(
        {},
        {
          ownKeys() {
            throw new Error('trap');
          },
        },
      );
      expect(issues({ type: 'object', properties: {} }, hostile)).to.deep.equal([
        { path: '', message: 'arguments could not be read: trap' },
      ]);
    });

    it('does not throw on cyclic argument values', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      const schema: JsonSchema = { type: 'object', properties: { self: { $ref: '#' } } };
      expect(validateToolArguments(schema, cyclic).valid).to.equal(false);
      expect(validateToolArguments({ uniqueItems: true }, [cyclic, cyclic]).valid).to.equal(false);
    });
  });
});
