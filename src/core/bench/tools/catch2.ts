/**
 * Catch2: `BENCHMARK("name")` inside a `TEST_CASE`, run from the built executable with the test
 * case's spec (Catch2 selects test cases, not benchmarks), results read from its console report.
 */
import * as path from 'node:path';
import { shellQuote } from '../../shell';
import { addSample, BenchmarkResult, readResultsFile, ResultReader, toNanoseconds } from '../results';
import { builtExecutable, isCppSource } from './native';
import { BenchRunContext, BenchTool, BenchmarkRef, DiscoveredBenchmark } from './types';

function discover(lines: readonly string[]): DiscoveredBenchmark[] {
  let testCase: string | undefined;
  return lines.flatMap((line, index) => {
    const test = /^\s*(?:TEST_CASE|SCENARIO)\(\s*"((?:[^"\\]|\\.)*)"/.exec(line);
    if (test) testCase = test[1]!;
    const benchmark = /\bBENCHMARK(?:_ADVANCED)?\(\s*"((?:[^"\\]|\\.)+)"\s*\)/.exec(line);
    if (!benchmark || /^\s*\/\//.test(line)) return [];
    return [{ kind: 'catch2' as const, id: benchmark[1]!, line: index, ...(testCase !== undefined ? { testCase } : {}) }];
  });
}

/**
 * The Catch2 test spec that selects exactly the test case `name`: Catch2 reads `,` `[` `]` `"`
 * `*` and a leading `~` as spec syntax, and its command line reads a leading `-` as an option;
 * each is escaped with a backslash, which Catch2's spec parser drops before matching.
 */
export function catch2TestSpec(name: string): string {
  return name.replace(/[\\,[\]"*]|^[~-]/g, '\\$&');
}

/** The test case holding the benchmark (every test case when the benchmark is outside one). */
const filter = (benchmark: BenchmarkRef) => (benchmark.testCase !== undefined ? catch2TestSpec(benchmark.testCase) : '');

/** The test case's run, its console report kept in a file to be read. */
async function command(benchmark: BenchmarkRef, context: BenchRunContext) {
  const binary = await builtExecutable(context, 'Catch2');
  const output = context.resultsFile('txt');
  const spec = filter(benchmark);
  return {
    line: `${shellQuote(binary)} ${spec ? shellQuote(spec) : ''} ${context.args.map(shellQuote).join(' ')} | tee ${shellQuote(output)}`,
    cwd: path.dirname(binary),
    results: () => readResultsFile(output, catch2.readers, 'Catch2'),
    resultsFile: output,
  };
}

/** Catch2's console report: name, samples, iterations, estimated; then mean, low and high mean. */
export function parseCatch2(text: string, file: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const head = /^(\S.*?)\s+(\d+)\s+(\d+)\s+([\d.]+) (\S+)\s*$/.exec(line);
    const next = /^\s+([\d.]+) (\S+)\s+([\d.]+) (\S+)\s+([\d.]+) (\S+)\s*$/.exec(lines[index + 1] ?? '');
    if (!head || !next || head[1] === 'benchmark name') return;
    addSample(results, head[1]!.trim(), 'ns', toNanoseconds(Number(next[1]), next[2]!, file, index + 2), {
      samples: Number(head[2]),
      iterations: Number(head[3]),
    });
  });
  return [...results.values()];
}

const reader: ResultReader = { tool: 'catch2', detect: (text) => /Catch v?\d|benchmark name\s+samples\s+iterations/.test(text), read: parseCatch2 };

export const catch2: BenchTool = { kind: 'catch2', label: 'Catch2', declaresIn: isCppSource, discover, filter, command, readers: [reader] };
