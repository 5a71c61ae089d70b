export { createRemoteRealtimeClient } from './remote-client.js';
export type { RemoteRealtimeClient, RemoteRealtimeClientOptions } from './remote-client.js';
export { createAdapterRegistry, DEFAULT_ADAPTERS } from './adapters.js';
export type { AdapterDeps, RealtimeAdapterEntry, RealtimeAdapterFactory } from './adapters.js';
export type { BootstrapRequest } from './bootstrap-client.js';
export { RemoteRealtimeError } from './errors.js';
export type { RemoteRealtimeErrorCode } from './errors.js';
