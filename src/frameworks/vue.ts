/**
 * Template typings of the tags for Vue 3.5 (vue-tsc / Vue - Official): `GlobalComponents` entries built
 * the way Vue's guide ("Non-Vue Web Components and TypeScript") describes, keyed by the hyphenated tag.
 * Types only; bring them in with `import type {} from 'charivo-elements/frameworks/vue'`.
 *
 * Vue 3 on a custom element: a binding whose key is a property of the element (`key in el`) is set as the
 * property, anything else as an attribute; `@charivo-tool-call` listens to the DOM event of that name.
 * Bind booleans by property (`:pushToTalk="on"`), or pass `null` to drop an attribute: `:push-to-talk="false"`
 * writes the text "false", which a boolean attribute reads as present.
 * Tell Vue's compiler the tags are custom elements: `compilerOptions.isCustomElement = (tag) => tag.startsWith('charivo-')`.
 * @packageDocumentation
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { CharivoElementOf, CharivoEventNameOf, CharivoEventOf, CharivoPropsOf, CharivoTagName } from './types.js';

/** A boolean attribute as Vue writes it: present (`true`, `''`) or removed (`null`). */
export type CharivoVueBooleanAttribute = true | '' | null;

/** Vue's `$emit` shape of the tag's events, which is what template `@event` listeners are checked against. */
export type CharivoVueEmit<T extends CharivoTagName> = EmitFn<{
  [E in CharivoEventNameOf<T>]: (event: CharivoEventOf<E>) => void;
}>;

/** The component type Vue's tooling reads for `<T>`: the element instance, plus template-only `$props`/`$emit`. */
export type CharivoVueElement<T extends CharivoTagName> = new () => CharivoElementOf<T> & {
  /** @deprecated Template type checking only: not on the element. */
  $props: HTMLAttributes & CharivoPropsOf<T, CharivoVueBooleanAttribute> & PublicProps;
  /** @deprecated Template type checking only: not on the element. */
  $emit: CharivoVueEmit<T>;
};

/** Every tag, for `GlobalComponents`. */
export type CharivoVueElements = { [T in CharivoTagName]: CharivoVueElement<T> };

declare module 'vue' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalComponents extends CharivoVueElements {}
}
