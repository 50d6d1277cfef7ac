/** `perf-lab bench parse` and `perf-lab compare`: benchmark results and before/after verdicts for scripts and CI. */
import { formatP } from '../core/format';
import { BenchOutput, BenchParseError, loadBenchResults, summary } from '../core/bench';
import { compare, compareCounts, cv, geometricMean, holm, mannWhitneyU, median } from '../core/stats';
import { existsSync } from 'node:fs';
import { workspaceThresholds } from '../core/experiments/methodology';
import { CliUsageError, flagValue, hasFlag, positionals } from './args';
import type { CliIo } from './cli';

export const benchUsage = `perf-lab bench parse FILE|DIR [--json]
perf-lab compare BASELINE CANDIDATE [--json|--markdown] [--fail-on-regression] [--methodology FILE]`;

export { BenchParseError };

export function runBenchParse(args: readonly string[], io: CliIo): number {
  const [target] = positionals(args, []);
  if (!target) throw new CliUsageError('bench parse needs FILE or DIR');
  const output = loadBenchResults(target);
  const benchmarks = output.benchmarks.map((result) => {
    const figures = summary(result);
    return { name: result.name, unit: result.unit, samples: result.samples, median: figures.median, mean: figures.mean, cv: figures.cv, n: figures.n };
  });
  if (hasFlag(args, '--json')) {
    io.out(`${JSON.stringify({ tool: output.tool, benchmarks }, null, 2)}\n`);
  } else {
    io.out(`${output.tool}: ${benchmarks.length} benchmarks\n`);
    for (const b of benchmarks) io.out(`  ${b.name}: median ${format(b.median)} ${b.unit}, n=${b.n}${b.n > 1 ? `, CV ${(b.cv * 100).toFixed(1)}%` : ''}\n`);
  }
  return 0;
}

export function runCompare(args: readonly string[], io: CliIo): number {
  const [baselineTarget, candidateTarget] = positionals(args, ['--methodology']);
  // Thresholds stated in the team's methodology document (else the defaults).
  const methodologyFile = flagValue(args, '--methodology');
  if (methodologyFile && !existsSync(methodologyFile)) throw new CliUsageError(`--methodology: no file ${methodologyFile}`);
  const thresholds = methodologyFile ? workspaceThresholds(process.cwd(), methodologyFile).thresholds : {};
  if (!baselineTarget || !candidateTarget) throw new CliUsageError('compare needs BASELINE and CANDIDATE');
  const baseline = loadBenchResults(baselineTarget);
  const candidate = loadBenchResults(candidateTarget);
  const pairs = pair(baseline, candidate);
  if (pairs.length === 0) throw new BenchParseError(candidateTarget, undefined, 'no benchmark of the candidate matches one of the baseline by name');
  // Instruction counts (iai) are deterministic: judged by the change alone, no interval, no p.
  const counted = ([before, after]: (typeof pairs)[number]) => before.unit === 'instructions' && after.unit === 'instructions';
  const timed = pairs.filter((pair) => !counted(pair));
  // Judge each timed benchmark by its Holm-adjusted p-value: many comparisons, one error budget.
  const adjusted = holm(timed.map(([before, after]) => mannWhitneyU(before.samples, after.samples).p));
  const benchmarks = pairs.map((pair) => {
    const [before, after] = pair;
    if (counted(pair)) {
      const result = compareCounts(median(before.samples), median(after.samples), thresholds);
      const side = (samples: number[]) => ({ median: median(samples), n: samples.length, cv: cv(samples) });
      return { name: before.name, baseline: side(before.samples), candidate: side(after.samples), deltaPct: result.deltaPct, ci: null, p: null, verdict: result.verdict };
    }
    const result = compare(before.samples, after.samples, { thresholds, adjustedP: adjusted[timed.indexOf(pair)]! });
    return {
      name: before.name,
      baseline: { median: result.baseline.median, n: result.baseline.n, cv: result.baseline.cv },
      candidate: { median: result.candidate.median, n: result.candidate.n, cv: result.candidate.cv },
      deltaPct: result.deltaPct,
      ci: result.ci as [number, number] | null,
      p: result.p as number | null,
      verdict: result.verdict,
    };
  });
  const geomeanDeltaPct = (geometricMean(benchmarks.map((result) => 1 + result.deltaPct / 100)) - 1) * 100;
  if (hasFlag(args, '--json')) {
    io.out(`${JSON.stringify({ benchmarks, geomeanDeltaPct }, null, 2)}\n`);
  } else {
    const markdown = hasFlag(args, '--markdown');
    const rows = benchmarks.map((b) => [b.name, format(b.baseline.median), format(b.candidate.median), signedPct(b.deltaPct), b.ci ? `[${signedPct(b.ci[0])}, ${signedPct(b.ci[1])}]` : 'n/a (count)', b.p === null ? 'n/a (count)' : formatP(b.p), b.verdict]);
    const header = ['benchmark', 'baseline', 'candidate', 'Δ', '95% CI', 'p (Holm)', 'verdict'];
    if (markdown) {
      io.out(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n\nGeometric mean of ratios: ${signedPct(geomeanDeltaPct)}\n`);
    } else {
      for (const row of [header, ...rows]) io.out(`${row.join('  ')}\n`);
      io.out(`geometric mean: ${signedPct(geomeanDeltaPct)}\n`);
    }
  }
  const regressed = benchmarks.some((b) => b.verdict === 'DISCARD (regression)');
  return hasFlag(args, '--fail-on-regression') && regressed ? 1 : 0;
}

function pair(baseline: BenchOutput, candidate: BenchOutput) {
  const byName = new Map(baseline.benchmarks.map((result) => [result.name, result]));
  return candidate.benchmarks.flatMap((after) => {
    const before = byName.get(after.name);
    return before ? [[before, after] as const] : [];
  });
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(4);
}

function signedPct(value: number): string {
  return `${value > 0 ? '+' : ''}${value.toFixed(2)}%`;
}
