/**
 * Benchmarks declared in source: criterion (`bench_function`, `benchmark_group` with
 * `bench_with_input`/`bench_function`), libtest `#[bench]`, divan `#[divan::bench]`, Google Benchmark (`BENCHMARK(fn)`,
 * `BENCHMARK_F(Fixture, Name)`, `BENCHMARK_TEMPLATE(fn, T)`), Catch2 (`BENCHMARK("name")` inside
 * a `TEST_CASE`) and Go (`func BenchmarkX(b *testing.B)` in `_test.go` files). Line-based on
 * purpose: declarations are single-line macros and calls, and the scan must stay cheap on every
 * keystroke.
 */

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

/** Benchmarks in a source file; `path` is used only to tell Rust from C/C++. */
export function discoverBenchmarks(text: string, path: string): DiscoveredBenchmark[] {
  const lines = text.split('\n');
  const found: DiscoveredBenchmark[] = [];
  if (path.endsWith('.rs')) {
    lines.forEach((line, index) => {
      if (/^\s*\/\//.test(line)) return;
      const group = /\.benchmark_group\(\s*"([^"]+)"/.exec(line);
      if (group) found.push({ kind: 'criterion', id: group[1]!, group: true, line: index });
      const bench = /(?:^|[^.\w])c\.bench_function\(\s*"([^"]+)"/.exec(line) ?? /\bcriterion\.bench_function\(\s*"([^"]+)"/.exec(line);
      if (bench) found.push({ kind: 'criterion', id: bench[1]!, line: index });
      // libtest `#[bench]`; divan `#[divan::bench]` or `#[divan::bench(args = [...], ...)]`, its
      // options possibly over several lines: the benchmark is the next `fn`.
      const attribute = /^\s*#\[bench\]/.test(line) ? 'libtest' : /^\s*#\[divan::bench\b(?!_group)/.test(line) ? 'divan' : undefined;
      if (attribute) {
        for (let next = index + 1; next < Math.min(lines.length, index + 12); next++) {
          const fn = /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:(?:const|async|unsafe)\s+)*fn\s+(\w+)/.exec(lines[next]!);
          if (fn) {
            found.push({ kind: attribute, id: fn[1]!, line: next });
            break;
          }
        }
      }
    });
  } else if (path.endsWith('_test.go')) {
    lines.forEach((line, index) => {
      const go = /^func\s+(Benchmark\w*)\s*\(\s*\w+\s+\*testing\.B\s*\)/.exec(line);
      if (go) found.push({ kind: 'go', id: go[1]!, line: index });
    });
  } else if (/\.(c|cc|cpp|cxx|h|hpp)$/.test(path)) {
    let testCase: string | undefined;
    lines.forEach((line, index) => {
      const test = /^\s*(?:TEST_CASE|SCENARIO)\(\s*"((?:[^"\\]|\\.)*)"/.exec(line);
      if (test) testCase = test[1]!;
      const catch2 = /\bBENCHMARK(?:_ADVANCED)?\(\s*"((?:[^"\\]|\\.)+)"\s*\)/.exec(line);
      if (catch2 && !/^\s*\/\//.test(line)) found.push({ kind: 'catch2', id: catch2[1]!, line: index, ...(testCase !== undefined ? { testCase } : {}) });
      const plain = /^\s*BENCHMARK\(\s*([\w:]+)\s*\)/.exec(line);
      if (plain) found.push({ kind: 'google-benchmark', id: plain[1]!, line: index });
      const fixture = /^\s*BENCHMARK_(?:DEFINE_)?F\(\s*(\w+)\s*,\s*(\w+)\s*\)/.exec(line);
      if (fixture) found.push({ kind: 'google-benchmark', id: `${fixture[1]}/${fixture[2]}`, line: index });
      const template = /^\s*BENCHMARK_TEMPLATE\d?\(\s*(\w+)\s*,\s*([^)]+)\)/.exec(line);
      if (template) found.push({ kind: 'google-benchmark', id: `${template[1]}<${template[2]!.trim()}>`, line: index });
    });
  }
  return found;
}

/** A regular expression selecting just this benchmark (criterion's filter, --benchmark_filter). */
export function exactFilter(benchmark: Pick<DiscoveredBenchmark, 'kind' | 'id' | 'group'>): string {
  const escaped = benchmark.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (benchmark.kind === 'google-benchmark') return `^${escaped}(/|$)`; // with its ->Arg variants
  // divan matches its filter against the function's path ("module::function"); args and types stay under it.
  if (benchmark.kind === 'divan') return `(^|::)${escaped}$`;
  return benchmark.group ? `^${escaped}/` : `^${escaped}$`;
}

/**
 * The Catch2 test spec that selects exactly the test case `name`: Catch2 reads `,` `[` `]` `"`
 * `*` and a leading `~` as spec syntax, and its command line reads a leading `-` as an option;
 * each is escaped with a backslash, which Catch2's spec parser drops before matching.
 */
export function catch2TestSpec(name: string): string {
  return name.replace(/[\\,[\]"*]|^[~-]/g, '\\$&');
}

/**
 * A command benchmarked with hyperfine, declared in the perfLab.commands setting:
 * `{ "name": "wordfreq", "command": "wordfreq inputs/{input}.log", "parameters": { "input": ["light", "heavy"] } }`.
 */
export interface CommandBenchmark {
  name: string;
  command: string;
  /** hyperfine parameter lists: each `{name}` in the command takes each value in turn. */
  parameters?: Record<string, string[]>;
  runs?: number;
  warmup?: number;
}

/** The valid entries of perfLab.commands (anything else is reported, not run). */
export function commandBenchmarks(setting: unknown): { commands: CommandBenchmark[]; problems: string[] } {
  const commands: CommandBenchmark[] = [];
  const problems: string[] = [];
  (Array.isArray(setting) ? setting : []).forEach((entry: unknown, index) => {
    const candidate = entry as Partial<CommandBenchmark> | null;
    if (!candidate || typeof candidate.name !== 'string' || !candidate.name || typeof candidate.command !== 'string' || !candidate.command) {
      problems.push(`perfLab.commands[${index}] needs a "name" and a "command"`);
      return;
    }
    const parameters = Object.entries(candidate.parameters ?? {}).filter(([, values]) => Array.isArray(values) && values.length > 0 && values.every((value) => typeof value === 'string'));
    commands.push({
      name: candidate.name,
      command: candidate.command,
      ...(parameters.length ? { parameters: Object.fromEntries(parameters) } : {}),
      ...(typeof candidate.runs === 'number' && candidate.runs >= 2 ? { runs: Math.floor(candidate.runs) } : {}),
      ...(typeof candidate.warmup === 'number' && candidate.warmup >= 0 ? { warmup: Math.floor(candidate.warmup) } : {}),
    });
  });
  return { commands, problems };
}

/**
 * What hyperfine names a command benchmark's results (`--command-name`, where it substitutes the
 * parameters): "wordfreq input={input}" becomes "wordfreq input=heavy". Without it results are
 * named by their whole command line.
 */
export function commandNameTemplate(command: CommandBenchmark): string {
  return [command.name, ...Object.keys(command.parameters ?? {}).map((parameter) => `${parameter}={${parameter}}`)].join(' ');
}

/** The hyperfine arguments that measure a command benchmark into `exportJson` (10 runs by default: the methodology's minimum). */
export function hyperfineArgs(command: CommandBenchmark, exportJson: string): string[] {
  const args = ['--warmup', String(command.warmup ?? 1), '--runs', String(command.runs ?? 10), '--export-json', exportJson];
  for (const [name, values] of Object.entries(command.parameters ?? {})) args.push('--parameter-list', name, values.join(','));
  return [...args, '--command-name', commandNameTemplate(command), command.command];
}
