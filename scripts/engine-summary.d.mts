// Types of engine-summary.mjs (a dependency-free script) for the TypeScript tests that import it.
export interface EngineFileReport {
  file: string;
  ok: boolean;
  passed: number;
  failed: number;
  wallMs?: number | null;
  skipped: Array<{ test: string; reason?: string }>;
  failures: string[];
  failureErrors?: string[];
  errors: string[];
}
export interface EngineRun {
  engine: string;
  code: number;
  wallMs: number;
  shards?: number;
  report: null | { browser?: string; files: EngineFileReport[] };
  lost?: string[];
}
export declare const FEATURES: Array<{ name: string; match: RegExp }>;
export declare function formatSummary(runs: EngineRun[], totalMs: number): { text: string; ok: boolean; coverage: string };
