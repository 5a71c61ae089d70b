/**
 * JSX typings of the tags for React 19: `<charivo-realtime tools={tools} oncharivo-tool-call={fn}>`.
 * Types only; bring them in with `import type {} from 'charivo-elements/frameworks/react'` (or a
 * `/// <reference types="charivo-elements/frameworks/react" />`) and define the tags before rendering
 * (`import 'charivo-elements/elements'`).
 *
 * React 19 on a custom element: a prop the element has as a property is set as the property (rich data
 * such as `tools` arrives as-is), any other prop becomes an attribute (`true` → `""`, `false` removes it),
 * and a function prop `on<event-name>` is added with `addEventListener('<event-name>', …)`, so the name is
 * the event's own, hyphens included: `oncharivo-tool-call`, not `onCharivoToolCall`.
 * @packageDocumentation
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  CharivoElementOf,
  CharivoEventNameOf,
  CharivoEventOf,
  CharivoPropsOf,
  CharivoTagName,
} from './types.js';

/** `on<event-name>` listener props of `<T>`. */
export type CharivoReactEventProps<T extends CharivoTagName> = {
  [E in CharivoEventNameOf<T> as `on${E}`]?: (event: CharivoEventOf<E>) => void;
};

/** Props of `<T>` in JSX: React's own HTML props (`ref`, `key`, `children`, `className`, `slot`…), the tag's properties and attributes, and its events. */
export type CharivoReactProps<T extends CharivoTagName> = Omit<
  DetailedHTMLProps<HTMLAttributes<CharivoElementOf<T>>, CharivoElementOf<T>>,
  keyof CharivoPropsOf<T>
> &
  CharivoPropsOf<T> &
  CharivoReactEventProps<T>;

/** Every tag, for `JSX.IntrinsicElements`. */
export type CharivoReactElements = { [T in CharivoTagName]: CharivoReactProps<T> };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends CharivoReactElements {}
  }
}
