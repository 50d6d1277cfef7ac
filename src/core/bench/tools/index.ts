/**
 * The benchmark tools Perf Lab knows, one adapter each: discovery in source, the filter selecting
 * one benchmark, its command line and its results reader. Adding a tool is adding a module here.
 */
import { catch2 } from './catch2';
import { criterion } from './criterion';
import { divan } from './divan';
import { go } from './go';
import { googleBenchmark } from './googleBenchmark';
import { hyperfine } from './hyperfine';
import { libtest } from './libtest';
import type { BenchCommand, BenchKind, BenchmarkRef, BenchRunContext, BenchTool, DiscoveredBenchmark } from './types';

export * from './types';
export { catch2TestSpec, parseCatch2 } from './catch2';
export { parseCriterionSample, parseCriterionTerminal, readCriterionFolder } from './criterion';
export { parseDivan } from './divan';
export { parseGo } from './go';
export { parseGoogleBenchmark } from './googleBenchmark';
export { CommandBenchmark, commandBenchmarks, commandNameTemplate, hyperfineArgs, parseHyperfine } from './hyperfine';
export { parseIai } from './iai';
export { parseLibtest } from './libtest';

export const benchTools: Record<BenchKind, BenchTool> = { criterion, libtest, divan, 'google-benchmark': googleBenchmark, catch2, go, hyperfine };

/**
 * Benchmarks declared in a source file, in line order. Line-based on purpose: declarations are
 * single-line macros and calls, and the scan must stay cheap on every keystroke.
 */
export function discoverBenchmarks(text: string, path: string): DiscoveredBenchmark[] {
  const tools = Object.values(benchTools).filter((tool) => tool.declaresIn(path));
  if (tools.length === 0) return [];
  const lines = text.split('\n');
  return tools.flatMap((tool) => tool.discover(lines)).sort((a, b) => a.line - b.line);
}

/** The tool's filter selecting just this benchmark (criterion's regular expression, --benchmark_filter, a Catch2 test spec). */
export function exactFilter(benchmark: BenchmarkRef): string {
  return benchTools[benchmark.kind].filter(benchmark);
}

/** The command that runs one benchmark, filtered to it, and how to read its results. */
export function benchCommandFor(benchmark: BenchmarkRef, context: BenchRunContext): Promise<BenchCommand> {
  return benchTools[benchmark.kind].command(benchmark, context);
}
