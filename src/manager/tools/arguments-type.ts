/**
 * The TypeScript type of a tool's arguments, read from its parameter schema at compile time: `z.output`
 * of a zod schema, or the type a literal JSON Schema describes (the common subset; see
 * {@link JsonSchemaType}). What the validator accepts at run time is the same value, so the handler's
 * argument type is what it receives.
 * @packageDocumentation
 */
import type { core } from 'zod';

/** Nesting depth past which {@link JsonSchemaType} answers `unknown` (keeps the compiler's work bounded). */
type Depth = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The type of one `type` name. */
type TypeName<N, S, D extends number> = N extends 'string'
  ? string
  : N extends 'number' | 'integer'
    ? number
    : N extends 'boolean'
      ? boolean
      : N extends 'null'
        ? null
        : N extends 'array'
          ? ArrayOf<S, D>
          : N extends 'object'
            ? ObjectOf<S, D>
            : unknown;

type ArrayOf<S, D extends number> = S extends { prefixItems: infer P extends readonly unknown[] }
  ? { [I in keyof P]: JsonSchemaType<P[I], Depth[D]> }
  : S extends { items: infer I }
    ? I extends readonly unknown[]
      ? { [K in keyof I]: JsonSchemaType<I[K], Depth[D]> }
      : JsonSchemaType<I, Depth[D]>[]
    : unknown[];

type RequiredKeys<S> = S extends { required: readonly (infer K)[] } ? K & string : never;

type ObjectOf<S, D extends number> = S extends { properties: infer P }
  ? Simplify<
      { -readonly [K in keyof P & RequiredKeys<S>]: JsonSchemaType<P[K], Depth[D]> } & {
        -readonly [K in Exclude<keyof P, RequiredKeys<S>>]?: JsonSchemaType<P[K], Depth[D]>;
      } & AdditionalOf<S, D>
    >
  : AdditionalOf<S, D> extends infer A
    ? [keyof A] extends [never]
      ? Record<string, unknown>
      : A
    : never;

/** `additionalProperties: <schema>` adds an index signature of that type; `false`, `true` or none add nothing. */
type AdditionalOf<S, D extends number> = S extends { additionalProperties: infer A }
  ? A extends boolean
    ? {}
    : { [key: string]: JsonSchemaType<A, Depth[D]> }
  : {};

type OfType<S, D extends number> = S extends { type: infer T }
  ? T extends readonly (infer N)[]
    ? N extends unknown
      ? TypeName<N, S, D>
      : never
    : TypeName<T, S, D>
  : unknown;

type Combined<S, D extends number> = S extends { anyOf: infer A extends readonly unknown[] }
  ? JsonSchemaType<A[number], Depth[D]>
  : S extends { oneOf: infer A extends readonly unknown[] }
    ? JsonSchemaType<A[number], Depth[D]>
    : never;

/**
 * The TypeScript type a literal JSON Schema describes, for the subset tool parameters use: `type`
 * (one name or a list), `properties` + `required` (other properties optional), `additionalProperties`
 * as a schema, `items` / `prefixItems`, `enum`, `const`, `anyOf`, `oneOf`. Anything else (`$ref`,
 * `allOf`, `not`, `if`, patterns) is `unknown` where it stands, and a schema that is not a literal
 * (typed as a plain `JsonSchemaObject` or `Record<string, unknown>`) gives `unknown`.
 *
 * The schema must keep its literal types: write it inline in `defineTool()` or `createRealtimeManager()`
 * (their type parameter is `const`), or declare it `as const`.
 */
export type JsonSchemaType<S, D extends number = 10> = [D] extends [never]
  ? unknown
  : S extends { const: infer C }
    ? C
    : S extends { enum: infer E extends readonly unknown[] }
      ? E[number]
      : S extends { anyOf: readonly unknown[] } | { oneOf: readonly unknown[] }
        ? Combined<S, D>
        : OfType<S, D>;

/** Whether `P` is a zod schema (classic or mini, which share the `_zod` core). */
type IsZod<P> = P extends core.$ZodType ? true : false;

/**
 * The arguments a tool's handler receives for parameter schema `P`: `z.output<P>` for zod, the
 * {@link JsonSchemaType} of a literal JSON Schema, and `any` when the compiler cannot see the schema (a
 * variable typed `JsonSchema` or `Record<string, unknown>`): the validator still checks the arguments at
 * run time, but their type is then the handler's own annotation.
 */
export type ToolArguments<P> =
  IsZod<P> extends true
    ? core.output<P & core.$ZodType>
    : unknown extends JsonSchemaType<P>
      ? // eslint-disable-next-line @typescript-eslint/no-explicit-any
        any
      : JsonSchemaType<P>;
