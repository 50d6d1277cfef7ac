/**
 * Benchmark tool outputs as one model: each benchmark with its per-run samples in one unit
 * (nanoseconds for times). Readers for libtest `bench:` lines, criterion (its JSON under
 * target/criterion, both key casings, and its terminal output), Google Benchmark JSON (bare NaN
 * and Infinity tolerated, repetitions and aggregates), hyperfine `--export-json`, `go test
 * -bench` (with -count), Catch2, divan and iai. No `vscode` import.
 */
import * as shape from '../shape';
import { cv, mean, median } from '../stats/descriptive';

export interface BenchmarkResult {
  name: string;
  /** "ns" for times, "instructions" for counts. */
  unit: string;
  /** One value per run (or per criterion sample), in `unit`. */
  samples: number[];
  /** Extra figures the tool reported (exit codes, memory, throughput). */
  extra?: Record<string, unknown>;
  /** A throughput (MB/s): judged with more as better; everything else, less is better. */
  higherIsBetter?: boolean;
}

export interface BenchOutput {
  tool: 'libtest' | 'criterion' | 'divan' | 'google-benchmark' | 'hyperfine' | 'go' | 'catch2' | 'iai';
  benchmarks: BenchmarkResult[];
}

export class BenchParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
  }
}

const timeUnits: Record<string, number> = { ps: 1e-3, ns: 1, µs: 1e3, us: 1e3, μs: 1e3, ms: 1e6, s: 1e9 };

function toNanoseconds(value: number, unit: string, file: string, line?: number): number {
  const factor = timeUnits[unit];
  if (factor === undefined) throw new BenchParseError(file, line, `unknown time unit "${unit}"`);
  const nanoseconds = value * factor;
  if (!Number.isFinite(nanoseconds)) throw new BenchParseError(file, line, `${value} ${unit} is too large to be a time`);
  return nanoseconds;
}

/** "1,234.56" -> 1234.56 */
function number(text: string): number {
  return Number(text.replace(/,/g, ''));
}

function group(results: Map<string, BenchmarkResult>, name: string, unit: string, value: number, extra?: Record<string, unknown>): void {
  let result = results.get(name);
  if (!result) results.set(name, (result = { name, unit, samples: [] }));
  result.samples.push(value);
  if (extra) result.extra = { ...result.extra, ...extra };
}

/**
 * Samples that can be compared: positive finite numbers. A NaN, a negative or a zero time once
 * came out "KEEP -200%" or a p-value of 1.5e-11; it is an error naming the file and benchmark.
 */
export function checkComparable(output: BenchOutput, file: string): BenchOutput {
  for (const result of output.benchmarks) {
    const index = result.samples.findIndex((value) => !(Number.isFinite(value) && value > 0));
    if (index >= 0)
      throw new BenchParseError(
        file,
        undefined,
        `benchmark "${result.name}": sample ${index + 1} of ${result.samples.length} is ${result.samples[index]}, not a positive ${result.unit === 'ns' ? 'time' : 'value'}`,
      );
    if (result.samples.length === 0) throw new BenchParseError(file, undefined, `benchmark "${result.name}" has no samples`);
  }
  return output;
}

/** Which tool wrote a text, or undefined. */
export function detectBenchTool(text: string): BenchOutput['tool'] | undefined {
  const start = text.trimStart();
  if (start.startsWith('{')) {
    if (/"benchmarks"\s*:/.test(text) && /"context"\s*:/.test(text)) return 'google-benchmark';
    if (/"results"\s*:/.test(text) && /"times"\s*:/.test(text)) return 'hyperfine';
    return undefined;
  }
  if (/^test .+ \.\.\. bench:/m.test(text)) return 'libtest';
  // Anchored on the literal "time:" (a `^(\S.*)?\s+time:` took 12.7 s on a line of 80,000 spaces).
  if (/(?:^|[ \t])time:[ \t]+\[/m.test(text)) return 'criterion';
  if (/^Benchmark\S+\s+\d+\s+[\d.]+ ns\/op/m.test(text)) return 'go';
  if (/Catch v?\d|benchmark name\s+samples\s+iterations/.test(text)) return 'catch2';
  if (/^\s+Instructions:\s+\d+/m.test(text)) return 'iai';
  if (divanHeader.test(stripAnsi(text))) return 'divan';
  // libtest that ran no benchmark: a valid, empty result.
  if (/^running \d+ tests?$/m.test(text)) return 'libtest';
  return undefined;
}

export function parseBenchText(text: string, file: string): BenchOutput {
  const tool = detectBenchTool(text);
  switch (tool) {
    case 'libtest':
      return { tool, benchmarks: parseLibtest(text) };
    case 'criterion':
      return { tool, benchmarks: parseCriterionTerminal(text, file) };
    case 'google-benchmark':
      return { tool, benchmarks: parseGoogleBenchmark(text, file) };
    case 'hyperfine':
      return { tool, benchmarks: parseHyperfine(text, file) };
    case 'go':
      return { tool, benchmarks: parseGo(text) };
    case 'catch2':
      return { tool, benchmarks: parseCatch2(text, file) };
    case 'iai':
      return { tool, benchmarks: parseIai(text) };
    case 'divan':
      return { tool, benchmarks: parseDivan(text, file) };
    default:
      throw new BenchParseError(file, undefined, 'no benchmark results Perf Lab reads (libtest, criterion, divan, Google Benchmark, hyperfine, go test -bench, Catch2, iai)');
  }
}

/** `test name ... bench:   1,234.56 ns/iter (+/- 12.3)`; failed and ignored tests are skipped. */
export function parseLibtest(text: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  for (const match of text.matchAll(/^test (\S+) \.\.\. bench:\s+([\d,.]+) ns\/iter \(\+\/- ([\d,.]+)\)/gm)) {
    group(results, match[1]!, 'ns', number(match[2]!), { deviation: number(match[3]!) });
  }
  return [...results.values()];
}

/** criterion's terminal report: `name  time: [low estimate high]`, the estimate as the sample. */
export function parseCriterionTerminal(text: string, file: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    // Split at the literal "time:" first: regular expressions with `.*?\s+` before it are
    // quadratic on long lines of spaces.
    const at = line.indexOf('time:');
    if (at <= 0 || !/[ \t]/.test(line[at - 1]!)) return;
    const figures = /^[ \t]+\[([\d.]+) (\S+) ([\d.]+) (\S+) ([\d.]+) (\S+)\]/.exec(line.slice(at + 5));
    if (!figures) return;
    const before = line.slice(0, at).trim();
    // A long name is printed alone on the line before.
    const name = before && !/^\s/.test(line) ? before : (lines[index - 1] ?? '').trim();
    const values = figures.slice(1);
    const [low, lowUnit, estimate, estimateUnit, high, highUnit] = values;
    group(results, name, 'ns', toNanoseconds(Number(estimate), estimateUnit!, file, index + 1), {
      low: toNanoseconds(Number(low), lowUnit!, file, index + 1),
      high: toNanoseconds(Number(high), highUnit!, file, index + 1),
    });
  });
  return [...results.values()];
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
      group(results, resultName, percentage ? 'fraction' : 'ns', value, { ...(iterations !== undefined ? { iterations } : {}), ...(cpuTime !== undefined ? { cpuTime } : {}) });
    }
    return [...results.values()];
  });
}

/** Runs a reader of parsed JSON, its shape errors turned into errors naming the file. */
function shapeChecked<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof shape.ShapeError) throw new BenchParseError(file, undefined, error.message);
    throw error;
  }
}

/** hyperfine `--export-json`: every run's time (seconds -> ns), exit codes and memory when present. */
export function parseHyperfine(text: string, file: string): BenchmarkResult[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BenchParseError(file, undefined, `invalid hyperfine JSON: ${(error as Error).message}`);
  }
  return shapeChecked(file, () =>
    (shape.optionalList(shape.object(document, 'the document').results, 'results') ?? []).map((value, index) => {
      const where = `results[${index}]`;
      const result = shape.object(value, where);
      const numbers = (key: string, rule: shape.NumberRule) => shape.optionalList(result[key], `${where}.${key}`)?.map((entry, at) => shape.number(entry, `${where}.${key}[${at}]`, rule));
      const times = numbers('times', { min: 0 }) ?? [];
      const exitCodes = numbers('exit_codes', { integer: true });
      const memoryBytes = numbers('memory_usage_byte', { min: 0 });
      const parameters =
        result.parameters === undefined || result.parameters === null
          ? undefined
          : Object.fromEntries(Object.entries(shape.object(result.parameters, `${where}.parameters`)).map(([key, text]) => [key, shape.text(text, `${where}.parameters.${key}`)]));
      return {
        name: shape.text(result.command, `${where}.command`),
        unit: 'ns',
        samples: times.map((seconds) => finiteTime(seconds * 1e9, `${where}.times`, file)),
        extra: {
          ...(exitCodes ? { exitCodes } : {}),
          ...(memoryBytes ? { memoryBytes } : {}),
          ...(parameters ? { parameters } : {}),
        },
      };
    }),
  );
}

/** A time that converted past what a number holds (1e308 s) is no time. */
function finiteTime(value: number, where: string, file: string): number {
  if (!Number.isFinite(value)) throw new BenchParseError(file, undefined, `${where}: a time too large to be one`);
  return value;
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
      if (unit === 'ns/op') group(results, match[1]!, 'ns', value, { iterations: Number(match[2]!) });
      else group(results, `${match[1]!} (${unit})`, unit, value);
      // Throughput (MB/s, ops/s): more is better.
      if (unit.endsWith('/s')) results.get(`${match[1]!} (${unit})`)!.higherIsBetter = true;
    }
  }
  return [...results.values()];
}

/** Catch2's console report: name, samples, iterations, estimated; then mean, low and high mean. */
export function parseCatch2(text: string, file: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const head = /^(\S.*?)\s+(\d+)\s+(\d+)\s+([\d.]+) (\S+)\s*$/.exec(line);
    const next = /^\s+([\d.]+) (\S+)\s+([\d.]+) (\S+)\s+([\d.]+) (\S+)\s*$/.exec(lines[index + 1] ?? '');
    if (!head || !next || head[1] === 'benchmark name') return;
    group(results, head[1]!.trim(), 'ns', toNanoseconds(Number(next[1]), next[2]!, file, index + 2), {
      samples: Number(head[2]),
      iterations: Number(head[3]),
    });
  });
  return [...results.values()];
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
const divanHeader = /^\S*\s+fastest\s+│\s+slowest\s+│\s+median\s+│\s+mean\s+│\s+samples\s+│\s+iters\s*$/m;

/**
 * divan's tree table (`name  fastest │ slowest │ median │ mean │ samples │ iters`). Rows nest by
 * their tree prefix (`├─ `, `╰─ ` under `│  ` or three spaces); a row with figures is a benchmark,
 * named by its path below the bench target joined with "/" ("fibonacci/16", "vec/push/t=4").
 * divan prints statistics, not samples: the median is the run's one value, so several runs give
 * the statistics over runs. Counter rows (throughput under a benchmark) have no name and are skipped.
 */
export function parseDivan(text: string, file: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  const path: string[] = [];
  let inTable = false;
  stripAnsi(text)
    .split('\n')
    .forEach((line, index) => {
      if (divanHeader.test(line)) {
        inTable = true;
        path.length = 0;
        return;
      }
      const row = /^((?:[│ ] {2})*)[├╰]─ (.*)$/.exec(line);
      if (!inTable || !row) return;
      const cells = row[2]!.split('│').map((cell) => cell.trim());
      const depth = row[1]!.length / 3;
      const named = /^(.+?)\s+([\d.]+) ?([pnµμum]?s)$/.exec(cells[0]!);
      path.length = depth;
      path.push(named ? named[1]! : cells[0]!);
      if (!named) return; // a module, a function with args, or a group: its rows follow
      const figure = (cell: string | undefined, what: string) => {
        const value = /^([\d.]+) ?([pnµμum]?s)$/.exec(cell ?? '');
        if (!value) throw new BenchParseError(file, index + 1, `divan row "${path.join('/')}" has no ${what} time`);
        return toNanoseconds(Number(value[1]), value[2]!, file, index + 1);
      };
      group(results, path.join('/'), 'ns', figure(cells[2], 'median'), {
        fastest: toNanoseconds(Number(named[2]), named[3]!, file, index + 1),
        slowest: figure(cells[1], 'slowest'),
        mean: figure(cells[3], 'mean'),
        samples: Number(cells[4]),
        iterations: Number(cells[5]),
      });
    });
  return [...results.values()];
}

/** iai: instruction counts per benchmark (deterministic, one run). */
export function parseIai(text: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = /^\s+Instructions:\s+(\d+)/.exec(line);
    if (!match) return;
    let name = '';
    for (let i = index - 1; i >= 0 && !name; i--) if (/^\S/.test(lines[i]!)) name = lines[i]!.trim();
    group(results, name, 'instructions', Number(match[1]));
  });
  return [...results.values()];
}

/** criterion's JSON for one benchmark: `sample.json` (iterations and total times per sample). */
export function parseCriterionSample(text: string, file: string): number[] {
  let sample: unknown;
  try {
    sample = JSON.parse(text);
  } catch (error) {
    throw new BenchParseError(file, undefined, `invalid criterion sample.json: ${(error as Error).message}`);
  }
  return shapeChecked(file, () => {
    const document = shape.object(sample, 'the document');
    // criterion changed its key casing in 2020; both shapes are still around.
    const numbers = (lower: string, upper: string, rule: shape.NumberRule) => {
      const key = document[lower] !== undefined ? lower : upper;
      return shape.optionalList(document[key], key)?.map((value, index) => shape.number(value, `${key}[${index}]`, rule));
    };
    const iterations = numbers('iters', 'Iters', { min: 1 });
    const times = numbers('times', 'Times', { min: 0 });
    if (!iterations || !times || iterations.length !== times.length) throw new BenchParseError(file, undefined, 'criterion sample.json without matching iters and times');
    return times.map((time, i) => time / iterations[i]!);
  });
}

/** Summary figures of a benchmark's samples. */
export function summary(result: BenchmarkResult): { median: number; mean: number; cv: number; n: number } {
  return { median: median(result.samples), mean: mean(result.samples), cv: cv(result.samples), n: result.samples.length };
}
