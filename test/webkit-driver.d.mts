// Types of webkit-driver.mjs for the TypeScript tests that import it.
export declare function killProcessTree(rootPid: number): Array<{ pid: number; name: string }>;

export interface WebKitDriver {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

export declare function webKitDrivers(options: { driverPath: string; xvfbPath: string; logPath: string; startTimeoutMs?: number }): {
  logPath: string;
  display(): Promise<{ display: string; authority: string }>;
  start(): Promise<WebKitDriver>;
  close(): Promise<{ drivers: number; leftovers: number[] }>;
};
