// Types of webkit-launcher.mjs for the TypeScript tests that import it.
import type { remote } from 'webdriverio';

export declare const WEBKIT_TIMEOUTS: Readonly<{ newSessionMs: number; deleteSessionMs: number; commandMs: number }>;
export declare const WEBKIT_SESSION_ATTEMPTS: number;

export declare class WebKitSessionError extends Error {
  readonly code: 'webkit_session_failed';
}

export interface DriverProcesses {
  start(): Promise<{ pid: number; port: number; stop(): Promise<void> }>;
  close(): Promise<{ drivers: number; leftovers: number[] }>;
  logPath?: string;
}

export interface WebKitLauncherOptions {
  capabilities: Record<string, unknown>;
  drivers: DriverProcesses;
  filesPerBrowser?: number;
  timeouts?: Partial<typeof WEBKIT_TIMEOUTS>;
  attempts?: number;
  log?: (line: string) => void;
  connect?: typeof remote;
}

export declare class WebKitLauncher {
  constructor(options: WebKitLauncherOptions);
  static startBudgetMs(timeouts?: typeof WEBKIT_TIMEOUTS, attempts?: number): number;
  name: string;
  type: string;
  driverManager: unknown;
  initialize(config: any, testFiles?: string[]): Promise<void>;
  startSession(sessionId: string, url: string): Promise<void>;
  isActive(sessionId: string): boolean;
  getBrowserUrl(sessionId: string): Promise<string>;
  stopSession(sessionId: string): Promise<any>;
  startDebugSession(sessionId: string, url: string): Promise<void>;
  stop(): Promise<void>;
}
