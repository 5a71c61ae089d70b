import { expect } from '@open-wc/testing';
import { toJsonSafeObject, type JsonSafeResult } from './json-safe.js';

function errorOf(result: JsonSafeResult): string {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('toJsonSafeObject', () => {
  describe('accepts', () => {
    it('a plain object and returns a JSON round-tripped copy', () => {
      const input = { a: 1, b: 'two', c: [true, null, { d: 1.5 }], e: { f: [] } };
      const result = toJsonSafeObject(input);
      expect(result).to.deep.equal({ ok: true, value: input });
      if (result.ok) {
        expect(result.value).not.to.equal(input);
        expect(result.value['c']).not.to.equal(input.c);
      }
    });

    it('a null-prototype object', () => {
      const input = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
      expect(toJsonSafeObject(input)).to.deep.equal({ ok: true, value: { a: 1 } });
    });

    it('drops undefined properties, as JSON does', () => {
      expect(toJsonSafeObject({ a: 1, b: undefined, c: { d: undefined } })).to.deep.equal({ ok: true, value: { a: 1, c: {} } });
    });

    it('serialises values with toJSON, such as Date, as JSON.stringify would', () => {
      const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
      const money = { toJSON: () => ({ amount: 5, currency: 'EUR' }) };
      expect(toJsonSafeObject({ when, money, invalid: new Date(Number.NaN) })).to.deep.equal({
        ok: true,
        value: { when: '2024-01-02T03:04:05.000Z', money: { amount: 5, currency: 'EUR' }, invalid: null },
      });
    });

    it('the same object reached twice by different paths (not a cycle)', () => {
      const shared = { x: 1 };
      expect(toJsonSafeObject({ a: shared, b: [shared, shared] })).to.deep.equal({
        ok: true,
        value: { a: { x: 1 }, b: [{ x: 1 }, { x: 1 }] },
      });
    });

    it('a "__proto__" key as data without changing the prototype', () => {
      const input = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
      const result = toJsonSafeObject(input);
      expect(result.ok).to.equal(true);
      if (result.ok) {
        expect(Object.getPrototypeOf(result.value)).to.equal(Object.prototype);
        expect(Object.hasOwn(result.value, '__proto__')).to.equal(true);
        expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
      }
    });

    it('ignores symbol-keyed and non-enumerable properties, as JSON does', () => {
      const input: Record<string | symbol, unknown> = { a: 1, [Symbol('s')]: 2 };
      Object.defineProperty(input, 'hidden', { value: 3, enumerable: false });
      expect(toJsonSafeObject(input)).to.deep.equal({ ok: true, value: { a: 1 } });
    });
  });

  describe('rejects at the top level', () => {
    it('an array', () => {
      expect(errorOf(toJsonSafeObject([1]))).to.equal('tool result must be a plain JSON object, got array');
    });

    it('null and undefined', () => {
      expect(errorOf(toJsonSafeObject(null))).to.equal('tool result must be a plain JSON object, got null');
      expect(errorOf(toJsonSafeObject(undefined))).to.equal('tool result must be a plain JSON object, got undefined');
    });

    it('primitives', () => {
      expect(errorOf(toJsonSafeObject('ok'))).to.equal('tool result must be a plain JSON object, got string');
      expect(errorOf(toJsonSafeObject(42))).to.equal('tool result must be a plain JSON object, got number');
      expect(errorOf(toJsonSafeObject(() => 1))).to.equal('tool result must be a plain JSON object, got function');
    });

    it('class instances, including Date and Map', () => {
      class Answer {
        value = 1;
      }
      expect(errorOf(toJsonSafeObject(new Answer()))).to.equal('tool result must be a plain JSON object, got instance of Answer');
      expect(errorOf(toJsonSafeObject(new Date()))).to.equal('tool result must be a plain JSON object, got instance of Date');
      expect(errorOf(toJsonSafeObject(new Map()))).to.equal('tool result must be a plain JSON object, got instance of Map');
    });

    it('a plain object whose toJSON returns a non-object', () => {
      expect(errorOf(toJsonSafeObject({ toJSON: () => [1, 2] }))).to.equal(
        'tool result must be a plain JSON object, but its toJSON() returned array',
      );
    });
  });

  describe('rejects inside the object', () => {
    it('cycles, naming where the cycle closes', () => {
      const a: Record<string, unknown> = {};
      const b: Record<string, unknown> = { a };
      a['b'] = b;
      expect(errorOf(toJsonSafeObject({ a }))).to.equal('tool result is cyclic at /a/b/a');
      const list: unknown[] = [];
      list.push(list);
      expect(errorOf(toJsonSafeObject({ list }))).to.equal('tool result is cyclic at /list/0');
    });

    it('functions', () => {
      expect(errorOf(toJsonSafeObject({ a: { run() {} } }))).to.equal(
        'tool result has a function at /a/run, which JSON cannot represent',
      );
    });

    it('symbols', () => {
      expect(errorOf(toJsonSafeObject({ s: Symbol('x') }))).to.equal('tool result has a symbol at /s, which JSON cannot represent');
    });

    it('bigints', () => {
      expect(errorOf(toJsonSafeObject({ big: 10n }))).to.match(/^tool result has a bigint at \/big, which JSON cannot represent/);
    });

    it('NaN and Infinity', () => {
      expect(errorOf(toJsonSafeObject({ n: Number.NaN }))).to.equal(
        'tool result has a non-finite number (NaN) at /n; JSON would turn it into null',
      );
      expect(errorOf(toJsonSafeObject({ list: [1, -Infinity] }))).to.match(/non-finite number \(-Infinity\) at \/list\/1/);
    });

    it('undefined and holes in arrays', () => {
      expect(errorOf(toJsonSafeObject({ list: [1, undefined] }))).to.equal(
        'tool result has undefined in an array at /list/1; JSON would turn it into null',
      );
      // eslint-disable-next-line no-sparse-arrays
      expect(errorOf(toJsonSafeObject({ list: [1, , 3] }))).to.equal(
        'tool result has a hole in an array at /list/1; JSON would turn it into null',
      );
    });

    it('Errors, which JSON would turn into {}', () => {
      expect(errorOf(toJsonSafeObject({ error: new TypeError('boom') }))).to.match(
        /^tool result has an Error at \/error, which JSON would serialise as \{\}/,
      );
    });

    it('Maps, Sets and other class instances without toJSON', () => {
      expect(errorOf(toJsonSafeObject({ m: new Map([[1, 2]]) }))).to.match(/^tool result has a non-plain object \(instance of Map\) at \/m;/);
      expect(errorOf(toJsonSafeObject({ s: [new Set()] }))).to.match(/instance of Set\) at \/s\/0;/);
      expect(errorOf(toJsonSafeObject({ bytes: new Uint8Array(2) }))).to.match(/instance of Uint8Array\) at \/bytes;/);
    });

    it('escapes "/" and "~" in paths', () => {
      expect(errorOf(toJsonSafeObject({ 'a/b': { '~': Number.NaN } }))).to.contain('at /a~1b/~0;');
    });

    it('a toJSON or getter that throws, without throwing itself', () => {
      const exploding = {
        toJSON() {
          throw new Error('nope');
        },
      };
      expect(errorOf(toJsonSafeObject({ x: exploding }))).to.equal('tool result could not be serialised at /x: toJSON() threw: nope');
      const getter = Object.defineProperty({}, 'g', {
        enumerable: true,
        get() {
          throw new Error('bad getter');
        },
      });
      expect(errorOf(toJsonSafeObject(getter))).to.equal(
        'tool result could not be serialised at /g: reading the property threw: bad getter',
      );
    });

    it('a hostile Proxy, without throwing itself', () => {
      const hostile = new Proxy(
        {},
        {
          getPrototypeOf() {
            throw new Error('trap');
          },
        },
      );
      expect(errorOf(toJsonSafeObject(hostile))).to.equal('tool result could not be serialised: trap');
    });

    it('nesting beyond maxDepth', () => {
      let deep: Record<string, unknown> = {};
      const root = deep;
      for (let i = 0; i < 10; i += 1) {
        const next: Record<string, unknown> = {};
        deep['n'] = next;
        deep = next;
      }
      expect(toJsonSafeObject(root, { maxDepth: 20 }).ok).to.equal(true);
      expect(errorOf(toJsonSafeObject(root, { maxDepth: 5 }))).to.equal(
        'tool result is nested more than 5 levels deep at /n/n/n/n/n',
      );
    });
  });

  describe('size cap', () => {
    it('accepts a result up to the default 256 KiB', () => {
      expect(toJsonSafeObject({ text: 'x'.repeat(200 * 1024) }).ok).to.equal(true);
    });

    it('rejects a result over the default 256 KiB', () => {
      expect(errorOf(toJsonSafeObject({ text: 'x'.repeat(300 * 1024) }))).to.match(/^tool result is too large: /);
    });

    it('measures serialised UTF-8 bytes against a configured maxBytes', () => {
      // {"t":"é"} is 10 bytes in UTF-8 (é is two), 9 UTF-16 units.
      expect(toJsonSafeObject({ t: 'é' }, { maxBytes: 10 }).ok).to.equal(true);
      expect(errorOf(toJsonSafeObject({ t: 'é' }, { maxBytes: 9 }))).to.equal(
        'tool result is too large: 10 bytes when serialised (limit 9)',
      );
      // Escapes count too: a newline serialises as two bytes.
      expect(errorOf(toJsonSafeObject({ t: '\n\n' }, { maxBytes: 11 }))).to.equal(
        'tool result is too large: 12 bytes when serialised (limit 11)',
      );
    });

    it('refuses a huge result before serialising it', () => {
      const many = Array.from({ length: 1000 }, () => 'y'.repeat(1000));
      expect(errorOf(toJsonSafeObject({ many }, { maxBytes: 10_000 }))).to.equal(
        'tool result is too large: more than 10000 bytes (the limit) when serialised',
      );
    });
  });
});
