/**
 * Template typings of the tags for Svelte 5 (svelte-check / Svelte for VS Code), through
 * `SvelteHTMLElements` as Svelte's TypeScript guide describes. Types only; bring them in with
 * `import type {} from 'charivo-elements/frameworks/svelte'` (for example in `src/app.d.ts`).
 *
 * Svelte 5 on a custom element: once the tag is defined, an attribute whose name is a property of the
 * element is set as the property (`tools={tools}`), anything else as an attribute; `oncharivo-tool-call={fn}`
 * listens to the DOM event of that name (the legacy `on:charivo-tool-call` directive is typed too). Bind
 * booleans by property (`pushToTalk={on}`): `push-to-talk={false}` writes the text "false", which a boolean
 * attribute reads as present.
 * @packageDocumentation
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { CharivoElementOf, CharivoEventNameOf, CharivoEventOf, CharivoPropsOf, CharivoTagName } from './types.js';

/** A boolean attribute as Svelte writes it: present (`true`, `''`) or removed (`null`). */
export type CharivoSvelteBooleanAttribute = true | '' | null;

type Handler<T extends CharivoTagName, E extends string> =
  | ((event: CharivoEventOf<E> & { currentTarget: EventTarget & CharivoElementOf<T> }) => unknown)
  | null
  | undefined;

/** `oncharivo-*` attributes (Svelte 5) and `on:charivo-*` directives (legacy) of `<T>`. */
export type CharivoSvelteEventProps<T extends CharivoTagName> = {
  [E in CharivoEventNameOf<T> as `on${E}`]?: Handler<T, E>;
} & {
  [E in CharivoEventNameOf<T> as `on:${E}`]?: Handler<T, E>;
};

/** Attributes of `<T>` in a Svelte template. */
export type CharivoSvelteAttributes<T extends CharivoTagName> = Omit<
  HTMLAttributes<CharivoElementOf<T>>,
  keyof CharivoPropsOf<T>
> &
  CharivoPropsOf<T, CharivoSvelteBooleanAttribute> &
  CharivoSvelteEventProps<T>;

/** Every tag, for `SvelteHTMLElements`. */
export type CharivoSvelteElements = { [T in CharivoTagName]: CharivoSvelteAttributes<T> };

declare module 'svelte/elements' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface SvelteHTMLElements extends CharivoSvelteElements {}
}
