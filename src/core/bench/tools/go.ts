/**
 * Go: `func BenchmarkX(b *testing.B)` in `_test.go` files, run by `go test -bench` in the
 * package's folder (go builds it itself), results read from its text output (every metric).
 */
import * as path from 'node:path';
import { shellQuote } from '../../shell';
import { addSample, BenchmarkResult, readResultsFile, ResultReader } from '../results';
import { BenchRunContext, BenchTool, BenchmarkRef, DiscoveredBenchmark, escapeRegExp } from './types';

function discover(lines: readonly string[]): DiscoveredBenchmark[] {
  return lines.flatMap((line, index) => {
    const go = /^func\s+(Benchmark\w*)\s*\(\s*\w+\s+\*testing\.B\s*\)/.exec(line);
    return go ? [{ kind: 'go' as const, id: go[1]!, line: index }] : [];
  });
}

const filter = (benchmark: BenchmarkRef) => `^${escapeRegExp(benchmark.id)}$`;

/** No unit tests (`-run '^$'`), the output kept to be read; `-count N` in the args gives N samples. */
async function command(benchmark: BenchmarkRef, context: BenchRunContext) {
  const output = context.resultsFile('txt');
  return {
    line: `go test -run '^$' -bench ${shellQuote(filter(benchmark))} ${context.args.map(shellQuote).join(' ')} . | tee ${shellQuote(output)}`,
    cwd: path.dirname(context.file),
    results: () => readResultsFile(output, go.readers, 'go test -bench'),
    resultsFile: output,
  };
}

/** `go test -bench`: `BenchmarkName-8  N  123.4 ns/op`; with -count, one line per run. */
export function parseGo(text: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  for (const match of text.matchAll(/^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(\d.*?)\s*$/gm)) {
    // Every metric of the line, as benchstat reads them: ns/op is the benchmark itself, the
    // others (B/op, allocs/op, MB/s, custom units) are benchmarks named "NAME (UNIT)".
    const fields = match[3]!.split(/\s+/);
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const value = Number(fields[i]);
      const unit = fields[i + 1]!;
      if (!/^[\d.]+(e[+-]?\d+)?$/i.test(fields[i]!) || !Number.isFinite(value)) break;
      if (unit === 'ns/op') addSample(results, match[1]!, 'ns', value, { iterations: Number(match[2]!) });
      // Throughput (MB/s, ops/s): more is better.
      else if (unit.endsWith('/s')) addSample(results, `${match[1]!} (${unit})`, unit, value).higherIsBetter = true;
      else addSample(results, `${match[1]!} (${unit})`, unit, value);
    }
  }
  return [...results.values()];
}

const reader: ResultReader = { tool: 'go', detect: (text) => /^Benchmark\S+\s+\d+\s+[\d.]+ ns\/op/m.test(text), read: parseGo };

export const go: BenchTool = { kind: 'go', label: 'go test', declaresIn: (file) => file.endsWith('_test.go'), discover, filter, command, readers: [reader] };
