/**
 * What `<charivo-realtime>` loads when its session is first needed (see LazyRealtimeManager): the
 * manager over a transport chosen at connect time. Kept out of the tags' first load.
 * @packageDocumentation
 */
import type { LazyManagerInit } from '../../manager/lazy-manager.js';
import { createRealtimeManager } from '../../manager/realtime-manager.js';
import type { RealtimeManager, RealtimeManagerOptions } from '../../manager/types.js';
import type { ForwardingLevelSource } from '../../transports/audio/level-source.js';
import { DeferredTransport } from '../../transports/deferred-transport.js';
import type { RealtimeTransport } from '../../transports/types.js';

/** The element's manager: `resolve` picks the transport on each connect; `levels` are the element's own. */
export function createElementManager(
  resolve: () => Promise<RealtimeTransport>,
  levels: { output: ForwardingLevelSource; input: ForwardingLevelSource },
  options: RealtimeManagerOptions,
  init: LazyManagerInit,
): RealtimeManager {
  return createRealtimeManager(new DeferredTransport(resolve, levels), { ...options, character: init.character, tools: init.tools });
}
