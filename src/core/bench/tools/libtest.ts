/** libtest: `#[bench]` functions (nightly Rust), run by `cargo bench`, results read from its `bench:` lines. */
import { addSample, BenchmarkResult, groupedNumber, readResultsFile, ResultReader } from '../results';
import { attributedFunction, cargoBench, isRustSource, rustCodeLines } from './cargo';
import { BenchRunContext, BenchTool, BenchmarkRef, DiscoveredBenchmark } from './types';

function discover(lines: readonly string[]): DiscoveredBenchmark[] {
  return rustCodeLines(lines).flatMap(({ line, index }) => {
    const fn = /^\s*#\[bench\]/.test(line) ? attributedFunction(lines, index) : undefined;
    return fn ? [{ kind: 'libtest' as const, id: fn.name, line: fn.line }] : [];
  });
}

/**
 * libtest's filter is a substring of the test's path ("parse" runs parse, parse_fast and
 * inner::parse); `^parse$` ran nothing. Discovery knows the function, not its module, so the
 * filter is its name and only that function's results are kept.
 */
const filter = (benchmark: BenchmarkRef) => benchmark.id;
const isBenchmark = (name: string, id: string) => name === id || name.endsWith(`::${id}`);

/** libtest prints its results: the run's output is kept in a file to be read. */
async function command(benchmark: BenchmarkRef, context: BenchRunContext) {
  const output = context.resultsFile('txt');
  const { crate: _crate, ...run } = cargoBench(context, context.args, filter(benchmark), output);
  return {
    ...run,
    results: () => {
      const read = readResultsFile(output, libtest.readers, 'libtest');
      return { ...read, benchmarks: read.benchmarks.filter((result) => isBenchmark(result.name, benchmark.id)) };
    },
  };
}

/** `test name ... bench:   1,234.56 ns/iter (+/- 12.3)`; failed and ignored tests are skipped. */
export function parseLibtest(text: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  for (const match of text.matchAll(/^test (\S+) +\.\.\. bench:\s+([\d,.]+) ns\/iter \(\+\/- ([\d,.]+)\)/gm)) {
    addSample(results, match[1]!, 'ns', groupedNumber(match[2]!), { deviation: groupedNumber(match[3]!) });
  }
  return [...results.values()];
}

export const libtestReader: ResultReader = { tool: 'libtest', detect: (text) => /^test .+ \.\.\. bench:/m.test(text), read: parseLibtest };
/** libtest that ran no benchmark: a valid, empty result (recognised after every other tool). */
export const emptyLibtestReader: ResultReader = { tool: 'libtest', detect: (text) => /^running \d+ tests?$/m.test(text), read: parseLibtest };

export const libtest: BenchTool = { kind: 'libtest', label: 'libtest', declaresIn: isRustSource, discover, filter, command, readers: [libtestReader, emptyLibtestReader] };
