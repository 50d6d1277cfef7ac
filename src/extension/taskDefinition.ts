/**
 * The `perf-lab` task definitions Perf Lab runs and users pin in tasks.json: one union, matched
 * by package.json's `taskDefinitions` (test/unit/manifest.test.ts checks the two agree). No
 * `vscode` import, so the manifest test can read the lists.
 */
import { benchTools as benchToolAdapters, type BenchKind } from '../core/bench/tools';

export const profilers = ['perf', 'callgrind', 'heaptrack', 'massif', 'dhat'] as const;
/** The profilers that record heap memory rather than time or instructions. */
export const memoryProfilers = ['heaptrack', 'massif', 'dhat'] as const satisfies readonly (typeof profilers)[number][];
export type Profiler = (typeof profilers)[number];

/** The tools a benchmark task can name: those core has an adapter for. */
export const benchTools = Object.keys(benchToolAdapters) as BenchKind[];

export type PerfLabTaskDefinition =
  /** A benchmark run: `file` is relative to the workspace folder. */
  | { kind: 'benchmark'; tool: BenchKind; benchmark: string; file: string; group?: boolean; testCase?: string }
  | { kind: 'profile'; profiler: Profiler; command: string }
  | { kind: 'build'; benchmark: string }
  | { kind: 'correctness' }
  /** Callgrind counting a benchmark's instructions for an experiment. */
  | { kind: 'instructions'; benchmark: string };

export const taskKinds = ['benchmark', 'profile', 'build', 'correctness', 'instructions'] as const satisfies readonly PerfLabTaskDefinition['kind'][];
