// Types of test-shards.mjs (a dependency-free script) for the TypeScript tests that import it.
export declare const DEFAULT_TEST_DIRS: string[];
export declare function listTestFiles(root: string, dirs?: string[]): string[];
export declare function previousTimes(...reportFiles: string[]): Map<string, number>;
export declare function planShards(files: string[], times: Map<string, number>, count: number): string[][];
