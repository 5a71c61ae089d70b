/**
 * Framework-neutral typings of the tags. The names come from the generated tag manifest (`tags.ts`, from
 * custom-elements.json), the types from the element classes and `CharivoEventDetailMap`; `react.ts`,
 * `vue.ts` and `svelte.ts` only adapt these to each framework's spelling, so none of them can drift.
 * Types only: this module has no runtime code.
 * @packageDocumentation
 */
import type { CharivoAvatarReadyEvent } from '../elements/avatar/avatar-ready-event.js';
import type { CharivoEventMap } from '../elements/realtime/realtime-events.js';
import type { CharivoTagManifest } from './tags.js';

export type { CharivoTagManifest } from './tags.js';

/** The tags of the kit. */
export type CharivoTagName = keyof CharivoTagManifest;

/** The element class of a tag. */
export type CharivoElementOf<T extends CharivoTagName> = CharivoTagManifest[T]['element'];

/** Every `charivo-*` event of the kit, by name, with its event class (typed `detail`). */
export interface CharivoEventTypes extends CharivoEventMap {
  'charivo-avatar-ready': CharivoAvatarReadyEvent;
}

/** Names of all `charivo-*` events. */
export type CharivoEventName = keyof CharivoEventTypes;

/** The event class of a `charivo-*` name. */
export type CharivoEventOf<E extends string> = E extends CharivoEventName ? CharivoEventTypes[E] : CustomEvent<unknown>;

/**
 * Events a listener on `<T>` receives: the tag's `@fires` names. `<charivo-realtime>` also receives every
 * other `charivo-*` event: it types all of `CharivoEventDetailMap` (including names its TSDoc does not list)
 * and its slotted children's events bubble through it (`charivo-avatar-ready`).
 */
export type CharivoEventNameOf<T extends CharivoTagName> =
  | CharivoTagManifest[T]['events']
  | (T extends 'charivo-realtime' ? CharivoEventName : never);

type PropertyName<T extends CharivoTagName> = CharivoTagManifest[T]['properties'] & keyof CharivoElementOf<T>;

/**
 * Writable properties, rich data included (`tools`, `character`, `transport`…), typed from the class. Every
 * framework below sets a prop as a property when the element has it (once the tag is defined).
 */
export type CharivoPropertiesOf<T extends CharivoTagName> = {
  [P in PropertyName<T>]?: CharivoElementOf<T>[P];
};

type AttributeMap<T extends CharivoTagName> = CharivoTagManifest[T]['attributes'];
type Defined<V> = Exclude<V, null | undefined>;

/**
 * What an attribute accepts, from its property's type: string unions stay unions, numbers also take their
 * text, and a boolean attribute takes `Bool` (frameworks differ on `false`: React removes the attribute,
 * Vue and Svelte would write the text "false", which a boolean attribute reads as present).
 */
export type CharivoAttributeValue<V, Bool> = [Defined<V>] extends [boolean]
  ? Bool
  : [Defined<V>] extends [number]
    ? number | string
    : [Defined<V>] extends [string]
      ? Defined<V>
      : string;

/**
 * Attributes by their HTML names where these differ from a property name (`push-to-talk`, `max-turns`,
 * the avatar's `for`). A name that is both (`muted`, `label`) is typed as the property, which is what the
 * frameworks set.
 */
export type CharivoAttributesOf<T extends CharivoTagName, Bool = boolean> = {
  [A in Exclude<keyof AttributeMap<T>, PropertyName<T>>]?: CharivoAttributeValue<CharivoElementOf<T>[AttributeMap<T>[A] & keyof CharivoElementOf<T>], Bool>;
};

/** Properties and attributes together: the props a framework template may set on `<T>`. */
export type CharivoPropsOf<T extends CharivoTagName, Bool = boolean> = CharivoPropertiesOf<T> & CharivoAttributesOf<T, Bool>;
