/** The before/after comparison of an experiment, as figures and as markdown for a pull request. */
import { compare, Comparison, geometricMean, holm, Thresholds } from '../stats';
import { Experiment, samplesBySide } from './store';

export interface ExperimentComparison {
  rows: (Comparison & { name: string; unit: string })[];
  geomeanDeltaPct: number;
  /** The verdict of the experiment: the one of its benchmark, or the worst of a suite's. */
  verdict: Comparison['verdict'];
}

const severity: Comparison['verdict'][] = ['REJECT', 'KILL', 'DISCARD (regression)', 'NOISY', 'DISCARD', 'MAYBE', 'KEEP'];

export function compareExperiment(experiment: Experiment, thresholds: Partial<Thresholds> = {}): ExperimentComparison {
  const before = samplesBySide(experiment, 'baseline');
  const after = samplesBySide(experiment, 'candidate');
  const names = [...after.keys()].filter((name) => before.has(name));
  if (names.length === 0) throw new Error(`${experiment.id}: record a baseline and run a candidate of the same benchmark first`);
  const raw = names.map((name) => compare(before.get(name)!.samples, after.get(name)!.samples, { thresholds }));
  const adjusted = holm(raw.map((result) => result.p));
  const rows = names.map((name, i) => ({ name, unit: after.get(name)!.unit, ...compare(before.get(name)!.samples, after.get(name)!.samples, { thresholds, adjustedP: adjusted[i]! }) }));
  const verdict = rows.map((row) => row.verdict).sort((a, b) => severity.indexOf(a) - severity.indexOf(b))[0]!;
  return { rows, geomeanDeltaPct: (geometricMean(rows.map((row) => 1 + row.deltaPct / 100)) - 1) * 100, verdict };
}

const pct = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(2)}%`;

/** A markdown report (verdict.md, and "copy as markdown" for a pull request). */
export function experimentMarkdown(experiment: Experiment, comparison: ExperimentComparison, thresholdsSource?: string): string {
  const lines = [
    `# ${experiment.id}: ${experiment.title}`,
    '',
    `Verdict: **${comparison.verdict}**${experiment.idea ? ` for the idea "${experiment.idea.title}" (${experiment.idea.document})` : ''}.`,
    '',
    '| Benchmark | Baseline median | Candidate median | Δ | 95% CI | p (Holm) | CV base / cand | n | Verdict |',
    '|---|---|---|---|---|---|---|---|---|',
    ...comparison.rows.map(
      (row) =>
        `| ${row.name} | ${row.baseline.median.toPrecision(4)} ${row.unit} | ${row.candidate.median.toPrecision(4)} ${row.unit} | ${pct(row.deltaPct)} | [${pct(row.ci[0])}, ${pct(row.ci[1])}] | ${row.p.toPrecision(2)} | ${(row.baseline.cv * 100).toFixed(1)}% / ${(row.candidate.cv * 100).toFixed(1)}% | ${row.baseline.n} / ${row.candidate.n} | ${row.verdict} |`,
    ),
    '',
    `Geometric mean of ratios: ${pct(comparison.geomeanDeltaPct)}.`,
    '',
    `Thresholds: ${thresholdsSource ?? 'the methodology defaults'}.`,
    '',
    `Runs: ${experiment.runs.map((run) => `${run.side} at ${run.at}${run.commit ? ` (${run.commit.slice(0, 10)}${run.dirty ? ', uncommitted changes' : ''})` : ''}`).join('; ')}.`,
    '',
  ];
  return lines.join('\n');
}
