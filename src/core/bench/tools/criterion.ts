/**
 * criterion: `c.bench_function("id", ...)` and `benchmark_group("id")` (results "id/<parameter>")
 * in Rust sources, run by `cargo bench`, results read from its JSON under target/criterion (both
 * key casings) or from its terminal report.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as shape from '../../shape';
import { addSample, BenchmarkResult, BenchOutput, BenchParseError, ResultReader, shapeChecked, toNanoseconds } from '../results';
import { cargoBench, findUp, isRustSource, rustCodeLines } from './cargo';
import { BenchRunContext, BenchTool, BenchmarkRef, DiscoveredBenchmark, escapeRegExp } from './types';

/** How long a criterion benchmark runs under the profiler (criterion's --profile-time). */
const profileSeconds = 5;

function discover(lines: readonly string[]): DiscoveredBenchmark[] {
  return rustCodeLines(lines).flatMap(({ line, index }) => {
    const found: DiscoveredBenchmark[] = [];
    const group = /\.benchmark_group\(\s*"([^"]+)"/.exec(line);
    if (group) found.push({ kind: 'criterion', id: group[1]!, group: true, line: index });
    const bench = /(?:^|[^.\w])c\.bench_function\(\s*"([^"]+)"/.exec(line) ?? /\bcriterion\.bench_function\(\s*"([^"]+)"/.exec(line);
    if (bench) found.push({ kind: 'criterion', id: bench[1]!, line: index });
    return found;
  });
}

const filter = (benchmark: BenchmarkRef) => (benchmark.group ? `^${escapeRegExp(benchmark.id)}/` : `^${escapeRegExp(benchmark.id)}$`);

/**
 * `cargo bench` filtered to the benchmark. To profile it, criterion iterates the benchmark for a
 * fixed time with `--profile-time`, without its analysis (which was 46% of a profile, in rayon).
 */
async function command(benchmark: BenchmarkRef, context: BenchRunContext) {
  const args = context.purpose === 'profile' ? ['--profile-time', String(profileSeconds)] : context.args;
  const { crate, ...run } = cargoBench(context, args, filter(benchmark));
  return {
    ...run,
    results: () => {
      const criterion = findUp(crate, path.join('target', 'criterion'));
      if (!criterion) throw new BenchParseError(crate, undefined, 'criterion wrote no target/criterion folder');
      return readCriterionFolder(path.join(criterion, 'target', 'criterion', ...benchmark.id.split('/')));
    },
  };
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
    const [low, lowUnit, estimate, estimateUnit, high, highUnit] = figures.slice(1);
    addSample(results, name, 'ns', toNanoseconds(Number(estimate), estimateUnit!, file, index + 1), {
      low: toNanoseconds(Number(low), lowUnit!, file, index + 1),
      high: toNanoseconds(Number(high), highUnit!, file, index + 1),
    });
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

/** The results under a folder of criterion's JSON (target/criterion, or one benchmark's folder in it). */
export function readCriterionFolder(folder: string): BenchOutput {
  if (!existsSync(folder)) throw new BenchParseError(folder, undefined, 'no such folder: criterion wrote no results here');
  const samples = filesUnder(folder, (file) => file.endsWith(`${path.sep}new${path.sep}sample.json`));
  if (samples.length === 0) throw new BenchParseError(folder, undefined, 'no criterion results (new/sample.json) in this directory');
  return {
    tool: 'criterion',
    benchmarks: samples.sort().map((file) => {
      const benchmarkFolder = path.dirname(path.dirname(file));
      return { name: criterionName(benchmarkFolder, folder), unit: 'ns', samples: parseCriterionSample(readFileSync(file, 'utf8'), file) };
    }),
  };
}

/** The benchmark id criterion recorded (benchmark.json), else the folder path. */
function criterionName(folder: string, root: string): string {
  try {
    const benchmark = JSON.parse(readFileSync(path.join(folder, 'new', 'benchmark.json'), 'utf8')) as { full_id?: unknown; title?: unknown } | null;
    const name = [benchmark?.full_id, benchmark?.title].find((candidate) => typeof candidate === 'string' && candidate);
    if (typeof name === 'string') return name;
  } catch {
    /* older layouts have no benchmark.json */
  }
  return path.relative(root, folder).split(path.sep).join('/');
}

/** Files under `folder` that `accept` takes, criterion's HTML reports skipped. */
function filesUnder(folder: string, accept: (file: string) => boolean, depth = 0): string[] {
  if (depth > 8) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'report' ? [] : filesUnder(file, accept, depth + 1);
    return accept(file) ? [file] : [];
  });
}

// Anchored on the literal "time:" (a `^(\S.*)?\s+time:` took 12.7 s on a line of 80,000 spaces).
const terminalReader: ResultReader = { tool: 'criterion', detect: (text) => /(?:^|[ \t])time:[ \t]+\[/m.test(text), read: parseCriterionTerminal };

export const criterion: BenchTool = { kind: 'criterion', label: 'criterion', declaresIn: isRustSource, discover, filter, command, readers: [terminalReader] };
