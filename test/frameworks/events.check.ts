// Compile-time agreement between the typed events (CharivoEventDetailMap) and the documented ones (`@fires`
// in realtime.ts → custom-elements.json → src/frameworks/tags.ts). Never run.
import type { CharivoEventDetailMap } from '../../src/elements/index.js';
import type { CharivoTagManifest } from '../../src/frameworks/tags.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Documented = CharivoTagManifest['charivo-realtime']['events'];

/** Every `@fires` name of <charivo-realtime> is a typed event. */
export const noUntypedEvent: Equal<Exclude<Documented, keyof CharivoEventDetailMap>, never> = true;

/**
 * Typed events that realtime.ts's TSDoc does not list with `@fires` yet, so they are missing from
 * custom-elements.json. Known gap (the typings still cover them): when a `@fires` line is added, this
 * fails; remove the name here.
 */
export const undocumented: Equal<
  Exclude<keyof CharivoEventDetailMap, Documented>,
  'charivo-avatar-motion' | 'charivo-avatar-gaze'
> = true;
