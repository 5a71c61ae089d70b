// Types of emulator-process.mjs (a plain script of the tooling) for the TypeScript that imports it.
export interface EmulatorAddress {
  url: string;
  baseUrl: string;
  callsUrl: string;
  websocketUrl: string;
  apiKey: string;
}
export interface EmulatorProcess extends EmulatorAddress {
  readonly restarts: number;
  readonly pid: number | undefined;
  close(): Promise<void>;
}
export interface EmulatorProcessOptions {
  name?: string;
  /** 0 (default): a free port, kept across restarts. */
  port?: number;
  apiKey?: string;
  validate?: boolean;
  /** `demo`: the demo page's scenario. */
  scenario?: 'demo';
  /** Called once a restarted emulator listens again. */
  onRestart?: (restarts: number) => void;
}
export declare function startEmulatorProcess(options?: EmulatorProcessOptions): Promise<EmulatorProcess>;
