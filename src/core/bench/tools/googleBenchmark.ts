/**
 * Google Benchmark: `BENCHMARK(fn)`, `BENCHMARK_F(Fixture, Name)`, `BENCHMARK_TEMPLATE(fn, T)` in
 * C++ sources, run from the built executable with `--benchmark_filter`, results read from its JSON
 * (bare NaN and Infinity tolerated, repetitions and aggregates).
 */
import * as path from 'node:path';
import * as shape from '../../shape';
import { shellQuote } from '../../shell';
import { addSample, BenchmarkResult, BenchParseError, readResultsFile, ResultReader, shapeChecked, toNanoseconds } from '../results';
import { builtExecutable, isCppSource } from './native';
import { BenchRunContext, BenchTool, BenchmarkRef, DiscoveredBenchmark, escapeRegExp } from './types';

function discover(lines: readonly string[]): DiscoveredBenchmark[] {
  return lines.flatMap((line, index) => {
    const found: DiscoveredBenchmark[] = [];
    const plain = /^\s*BENCHMARK\(\s*([\w:]+)\s*\)/.exec(line);
    if (plain) found.push({ kind: 'google-benchmark', id: plain[1]!, line: index });
    const fixture = /^\s*BENCHMARK_(?:DEFINE_)?F\(\s*(\w+)\s*,\s*(\w+)\s*\)/.exec(line);
    if (fixture) found.push({ kind: 'google-benchmark', id: `${fixture[1]}/${fixture[2]}`, line: index });
    const template = /^\s*BENCHMARK_TEMPLATE\d?\(\s*(\w+)\s*,\s*([^)]+)\)/.exec(line);
    if (template) found.push({ kind: 'google-benchmark', id: `${template[1]}<${template[2]!.trim()}>`, line: index });
    return found;
  });
}

/** The benchmark with its ->Arg variants ("BM_X/64"). */
const filter = (benchmark: BenchmarkRef) => `^${escapeRegExp(benchmark.id)}(/|$)`;

async function command(benchmark: BenchmarkRef, context: BenchRunContext) {
  const binary = await builtExecutable(context, 'Google Benchmark');
  const output = context.resultsFile('json');
  return {
    line: [shellQuote(binary), `--benchmark_filter=${shellQuote(filter(benchmark))}`, `--benchmark_out=${shellQuote(output)}`, '--benchmark_out_format=json', ...context.args.map(shellQuote)].join(
      ' ',
    ),
    cwd: path.dirname(binary),
    results: () => readResultsFile(output, googleBenchmark.readers, 'Google Benchmark'),
    resultsFile: output,
  };
}

/** Google Benchmark's JSON: repetitions become samples; aggregates (mean, median, stddev) are kept as extra. */
export function parseGoogleBenchmark(text: string, file: string): BenchmarkResult[] {
  let document: { benchmarks?: unknown[] };
  try {
    // The library writes bare NaN and Infinity for undefined counters: make them JSON.
    document = JSON.parse(text.replace(/:\s*(-?)(NaN|Infinity)\b/g, (_, sign: string, word: string) => `: ${word === 'NaN' ? 'null' : sign ? '-1e999' : '1e999'}`));
  } catch (error) {
    throw new BenchParseError(file, undefined, `invalid Google Benchmark JSON: ${(error as Error).message}`);
  }
  if (!document || typeof document !== 'object' || (document.benchmarks !== undefined && !Array.isArray(document.benchmarks))) {
    throw new BenchParseError(file, undefined, 'Google Benchmark JSON without a "benchmarks" list');
  }
  return shapeChecked(file, () => {
    const all = (document.benchmarks ?? []).map((entry, index) => shape.object(entry, `benchmarks[${index}]`));
    // Complexity fits (BigO, RMS) carry coefficients, not a real_time: they are not timings.
    const entries = all
      .map((entry, index) => ({ entry, where: `benchmarks[${index}] (${shape.describeValue(entry.name)})` }))
      .filter(({ entry }) => !entry.error_occurred && typeof entry.real_time === 'number');
    const nameOf = (entry: Record<string, unknown>, where: string) => shape.optionalText(entry.run_name, `${where}.run_name`) ?? shape.text(entry.name, `${where}.name`);
    // The names that have repetitions of their own: their aggregates (BM_X_mean, BM_X_stddev...)
    // summarise those samples and are kept beside them.
    const repeated = new Set(entries.filter(({ entry }) => entry.run_type !== 'aggregate').map(({ entry, where }) => nameOf(entry, where)));
    const results = new Map<string, BenchmarkResult>();
    for (const { entry, where } of entries) {
      const unit = shape.optionalText(entry.time_unit, `${where}.time_unit`) ?? 'ns';
      const runName = nameOf(entry, where);
      const name = shape.text(entry.name, `${where}.name`);
      const time = (key: string) => toNanoseconds(shape.number(entry[key], `${where}.${key}`, { min: 0 }), unit, file);
      if (entry.run_type === 'aggregate' && repeated.has(runName) && name !== runName) {
        const existing = results.get(runName);
        const aggregate = shape.optionalText(entry.aggregate_name, `${where}.aggregate_name`) ?? name;
        if (existing) existing.extra = { ...existing.extra, [aggregate]: time('real_time') };
        continue;
      }
      // Anything else is compared by its name, as compare.py does: aggregates-only files
      // (--benchmark_report_aggregates_only) have a benchmark per aggregate (BM_X_mean, ...).
      const resultName = entry.run_type === 'aggregate' ? name : runName;
      // A percentage aggregate (the coefficient of variation) is a fraction, not a time.
      const percentage = entry.aggregate_unit === 'percentage';
      const value = percentage ? shape.number(entry.real_time, `${where}.real_time`) : time('real_time');
      const cpuTime = entry.cpu_time === undefined ? undefined : percentage ? shape.number(entry.cpu_time, `${where}.cpu_time`) : time('cpu_time');
      const iterations = shape.optionalNumber(entry.iterations, `${where}.iterations`, { min: 0 });
      addSample(results, resultName, percentage ? 'fraction' : 'ns', value, { ...(iterations !== undefined ? { iterations } : {}), ...(cpuTime !== undefined ? { cpuTime } : {}) });
    }
    return [...results.values()];
  });
}

const reader: ResultReader = {
  tool: 'google-benchmark',
  json: true,
  detect: (text) => /"benchmarks"\s*:/.test(text) && /"context"\s*:/.test(text),
  read: parseGoogleBenchmark,
};

export const googleBenchmark: BenchTool = { kind: 'google-benchmark', label: 'Google Benchmark', declaresIn: isCppSource, discover, filter, command, readers: [reader] };
