/** `perf-lab bench parse` and `perf-lab compare`: benchmark results and before/after verdicts for scripts and CI. */
import { formatP, signedPercent } from '../core/format';
import { BenchOutput, BenchParseError, checkComparable, compareSuites, loadBenchResults, splitBaselineAndCandidate, summary } from '../core/bench';
import { existsSync } from 'node:fs';
import { workspaceThresholds } from '../core/experiments/methodology';
import { CliUsageError, commandArgs } from './args';
import type { CliIo } from './cli';

export const benchUsage = `perf-lab bench parse FILE|DIR [--json]
perf-lab compare BASELINE CANDIDATE [--json|--markdown] [--fail-on-regression] [--methodology FILE]
perf-lab compare FILE   (a file of two benchmarks, e.g. hyperfine ./base ./cand: the first is the baseline)`;

export { BenchParseError };

export function runBenchParse(args: readonly string[], io: CliIo): number {
  const { values, positionals } = commandArgs(args, { json: { type: 'boolean' } });
  const [target] = positionals;
  if (!target) throw new CliUsageError('bench parse needs FILE or DIR');
  const output = loadBenchResults(target);
  const benchmarks = output.benchmarks.map((result) => {
    const figures = summary(result);
    return { name: result.name, unit: result.unit, samples: result.samples, median: figures.median, mean: figures.mean, cv: figures.cv, n: figures.n };
  });
  if (values.json) {
    io.out(`${JSON.stringify({ tool: output.tool, benchmarks }, null, 2)}\n`);
  } else {
    io.out(`${output.tool}: ${benchmarks.length} benchmarks\n`);
    for (const b of benchmarks) io.out(`  ${b.name}: median ${format(b.median)} ${b.unit}, n=${b.n}${b.n > 1 ? `, CV ${(b.cv * 100).toFixed(1)}%` : ''}\n`);
  }
  return 0;
}

export function runCompare(args: readonly string[], io: CliIo): number {
  const { values, positionals: targets } = commandArgs(args, {
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    'fail-on-regression': { type: 'boolean' },
    methodology: { type: 'string' },
  });
  // Thresholds stated in the team's methodology document (else the defaults).
  const methodologyFile = values.methodology;
  if (methodologyFile && !existsSync(methodologyFile)) throw new CliUsageError(`--methodology: no file ${methodologyFile}`);
  const thresholds = methodologyFile ? workspaceThresholds(process.cwd(), methodologyFile).thresholds : {};
  let baseline: BenchOutput;
  let candidate: BenchOutput;
  if (targets.length === 1) {
    // One file of two benchmarks (`hyperfine ./base ./cand`): the first against the second.
    const split = splitBaselineAndCandidate(checkComparable(loadBenchResults(targets[0]!), targets[0]!));
    if (!split) throw new CliUsageError('compare needs BASELINE and CANDIDATE, or one file holding exactly two benchmarks');
    [baseline, candidate] = split;
  } else if (targets.length === 2) {
    baseline = checkComparable(loadBenchResults(targets[0]!), targets[0]!);
    candidate = checkComparable(loadBenchResults(targets[1]!), targets[1]!);
  } else {
    throw new CliUsageError('compare needs BASELINE and CANDIDATE');
  }
  const result = compareSuites(baseline, candidate, thresholds);
  if (result.benchmarks.length === 0) throw new BenchParseError(targets[targets.length - 1]!, undefined, 'no benchmark of the candidate matches one of the baseline by name');
  const { benchmarks, geomeanDeltaPct } = result;
  if (values.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const markdown = values.markdown;
    // A pair of differently named benchmarks says which was compared with which.
    const label = (b: (typeof benchmarks)[number]) => (b.candidateName ? `${b.name} → ${b.candidateName}` : b.name);
    const rows = benchmarks.map((b) => [
      label(b),
      format(b.baseline.median),
      format(b.candidate.median),
      signedPct(b.deltaPct),
      b.ci ? `[${signedPct(b.ci[0])}, ${signedPct(b.ci[1])}]` : 'n/a (count)',
      b.p === null ? 'n/a (count)' : formatP(b.p),
      b.verdict,
    ]);
    const header = ['benchmark', 'baseline', 'candidate', 'Δ', '95% CI', 'p (Holm)', 'verdict'];
    if (markdown) {
      io.out(
        `| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n\nGeometric mean of ratios: ${signedPct(geomeanDeltaPct)}\n`,
      );
    } else {
      for (const row of [header, ...rows]) io.out(`${row.join('  ')}\n`);
      io.out(`geometric mean: ${signedPct(geomeanDeltaPct)}\n`);
    }
  }
  const regressed = benchmarks.some((b) => b.verdict === 'DISCARD (regression)');
  return values['fail-on-regression'] && regressed ? 1 : 0;
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(4);
}

function signedPct(value: number): string {
  return signedPercent(value, 2);
}
