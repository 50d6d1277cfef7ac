/**
 * What a benchmark tool adapter knows: which source files declare its benchmarks and how to find
 * them, the filter that selects one, the command line that runs it, and how to read its results.
 * The caller supplies file lookups (the extension: VS Code's findFiles) and runs the command.
 */
import type { BenchOutput, ResultReader } from '../results';
import type { CommandBenchmark } from './hyperfine';

export type BenchKind = 'criterion' | 'libtest' | 'divan' | 'google-benchmark' | 'catch2' | 'go' | 'hyperfine';

export interface DiscoveredBenchmark {
  kind: BenchKind;
  /** The id the tool reports and filters by: "tokenize_line", "count_words" (a group), "BM_Percentile", "EndpointFixture/Record". */
  id: string;
  /** True for a criterion group: its results are "id/<parameter>". */
  group?: boolean;
  /** The Catch2 TEST_CASE holding the benchmark: Catch2 selects test cases, not benchmarks. */
  testCase?: string;
  /** 0-based line of the declaration. */
  line: number;
}

/** The benchmark to run: what discovery found, without its position. */
export type BenchmarkRef = Pick<DiscoveredBenchmark, 'kind' | 'id' | 'group' | 'testCase'>;

/** The command that runs one benchmark, filtered to it, and how to read its results. */
export interface BenchCommand {
  /** Shell command line, shown in the terminal as is. */
  line: string;
  /** Builds what `line` runs, so a run's time is the benchmark's, not the compiler's. */
  build?: string;
  cwd: string;
  /** Reads the results after the run. */
  results: () => BenchOutput;
  /** The file the run writes its results to, when Perf Lab chose it (removed before a run). */
  resultsFile?: string;
}

/** What an adapter needs to know to build a command line; the caller's lookups. */
export interface BenchRunContext {
  /** The benchmark's source file, in the tree being run. */
  file: string;
  /** The folder being run: the workspace folder, or a revision's worktree mirroring it. */
  root: string;
  /** True when `root` is a revision's worktree rather than the workspace. */
  revision: boolean;
  /** Measure (the default), or run long enough under a profiler. */
  purpose: 'measure' | 'profile';
  /** The user's extra arguments for this tool (perfLab.benchmarks.<tool>Args). */
  args: readonly string[];
  /** perfLab.commands of the folder (hyperfine benchmarks). */
  commands: readonly CommandBenchmark[];
  /** A fixed file for this benchmark's results with this extension. */
  resultsFile(extension: string): string;
  /** The built executable named `stem` in `root`, or undefined (Google Benchmark, Catch2). */
  findExecutable(stem: string): Promise<string | undefined>;
}

export interface BenchTool {
  kind: BenchKind;
  /** The tool's name as users know it: "Google Benchmark", "go test". */
  label: string;
  /** Whether `path` is a source file that can declare this tool's benchmarks. */
  declaresIn(path: string): boolean;
  /** The benchmarks declared in a source file's lines. */
  discover(lines: readonly string[]): DiscoveredBenchmark[];
  /** The tool's filter selecting just this benchmark (a regular expression, or a test spec). */
  filter(benchmark: BenchmarkRef): string;
  command(benchmark: BenchmarkRef, context: BenchRunContext): Promise<BenchCommand>;
  /** How the tool's results are read (in the order they are recognised). */
  readers: readonly ResultReader[];
}

/** A benchmark id as a regular expression matching it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
