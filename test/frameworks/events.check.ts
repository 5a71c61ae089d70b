// Compile-time agreement between the typed events (CharivoEventDetailMap) and the documented ones (`@fires`
// in realtime.ts → custom-elements.json → src/frameworks/tags.ts). Never run.
import type { CharivoEventDetailMap } from '../../src/elements/index.js';
import type { CharivoTagManifest } from '../../src/frameworks/tags.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Documented = CharivoTagManifest['charivo-realtime']['events'];

/** Every `@fires` name of <charivo-realtime> is a typed event. */
export const noUntypedEvent: Equal<Exclude<Documented, keyof CharivoEventDetailMap>, never> = true;

/** Every typed event is documented with `@fires` (so it is in custom-elements.json). */
export const noUndocumentedEvent: Equal<Exclude<keyof CharivoEventDetailMap, Documented>, never> = true;
