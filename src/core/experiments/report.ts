/** The before/after comparison of an experiment, as figures and as markdown for a pull request. */
import { compareCounts, compareSeries, Comparison, CountComparison, DecidingMetric, defaultThresholds, geomeanCostChangePct, median, Thresholds } from '../stats';
import { formatMeasurement, formatP, signedPercent } from '../format';
import { describeRevision } from './revisions';
import { Experiment, samplesBySide, timedRuns } from './store';

/**
 * What a benchmark's statistics are computed over. "runs": each run's median, when both sides
 * have several runs (Compare Revisions: one run per side and round). Runs are the independent
 * unit; the samples inside one criterion run share its process, caches and machine state, so
 * pooling them makes p-values far too small. "samples": the pooled samples, when a side has one run.
 */
export type StatisticsBasis = 'runs' | 'samples';

export interface ComparedRow extends Comparison {
  name: string;
  unit: string;
  basis: StatisticsBasis;
  /** The values compared on each side (run medians or samples, by basis). */
  values: { baseline: number[]; candidate: number[] };
}

/** A benchmark's instruction counts (callgrind), baseline against candidate. */
export interface InstructionRow extends CountComparison {
  name: string;
}

export type { DecidingMetric } from '../stats/verdict';

export interface ExperimentComparison {
  rows: ComparedRow[];
  /** Instruction counts of the benchmarks counted on both sides (empty when none were). */
  instructions: InstructionRow[];
  /** The timed runs' peak resident memory, when measured on both sides: one value per run. */
  memory?: ComparedRow;
  /** What the verdict was decided by: instructions only when chosen and counted on both sides. */
  decidedBy: DecidingMetric;
  geomeanDeltaPct: number;
  /** The verdict of the experiment: the one of its benchmarks, or the worst of a suite's. */
  verdict: Comparison['verdict'];
  /** Why, when it is not the rows' (REJECT or KILL decided before any statistics). */
  reason?: string;
}

const severity: Comparison['verdict'][] = ['REJECT', 'KILL', 'DISCARD (regression)', 'NOISY', 'DISCARD', 'MAYBE', 'KEEP'];

/**
 * Seconds a candidate run may take before it is stopped (KILL): killFactor x the baseline's
 * longest run, plus a little grace so process start-up jitter on a busy machine is not a KILL.
 */
export const killGraceSeconds = 2;
export function candidateTimeLimit(baselineSeconds: number, killFactor: number): number {
  return baselineSeconds * killFactor + killGraceSeconds;
}

/**
 * The candidate's correctness and time budget: REJECT when its correctness command failed, KILL
 * when a run was stopped over its limit or took longer than candidateTimeLimit.
 */
function gates(experiment: Experiment, thresholds: Partial<Thresholds>): { correctnessFailed: boolean; budgetRatio?: number; reason?: string } {
  const candidates = experiment.runs.filter((run) => run.side === 'candidate');
  const failed = candidates.find((run) => run.correctness && run.correctness.exitCode !== 0);
  const baselineSeconds = Math.max(0, ...experiment.runs.filter((run) => run.side === 'baseline').map((run) => run.seconds ?? 0));
  const candidateSeconds = Math.max(0, ...candidates.map((run) => run.seconds ?? 0));
  const killFactor = thresholds.killFactor ?? defaultThresholds.killFactor;
  // As a ratio compare() can judge: above killFactor exactly when over the limit.
  const budgetRatio = candidates.some((run) => run.overLimit)
    ? Number.POSITIVE_INFINITY
    : baselineSeconds > 0 && candidateSeconds > 0
      ? (candidateSeconds - killGraceSeconds) / baselineSeconds
      : undefined;
  const reason = failed
    ? `the correctness check \`${failed.correctness!.command}\` failed on the candidate (exit code ${failed.correctness!.exitCode ?? 'none: stopped'})`
    : budgetRatio !== undefined && budgetRatio > killFactor
      ? `the candidate ran past ${killFactor}x the baseline's time budget (${baselineSeconds.toFixed(1)} s, plus ${killGraceSeconds} s of grace)`
      : undefined;
  return { correctnessFailed: failed !== undefined, ...(budgetRatio !== undefined ? { budgetRatio } : {}), ...(reason ? { reason } : {}) };
}

/** Instruction counts per benchmark counted on both sides (the median, should a side be counted twice). */
function compareInstructions(experiment: Experiment, thresholds: Partial<Thresholds>): InstructionRow[] {
  const before = samplesBySide(experiment, 'baseline', 'instructions');
  const after = samplesBySide(experiment, 'candidate', 'instructions');
  return [...after.keys()].filter((name) => before.has(name)).map((name) => ({ name, ...compareCounts(median(before.get(name)!.samples), median(after.get(name)!.samples), thresholds) }));
}

/** The runs' peak memory, baseline against candidate, by the same statistics as time (each run is one value). */
function comparePeakMemory(experiment: Experiment, options: Parameters<typeof compareSeries>[1]): ComparedRow | undefined {
  const values = (side: 'baseline' | 'candidate') => timedRuns(experiment, side).flatMap((run) => (run.peakMemoryBytes ? [run.peakMemoryBytes] : []));
  const measured = { baseline: values('baseline'), candidate: values('candidate') };
  if (measured.baseline.length === 0 || measured.candidate.length === 0) return undefined;
  const [compared] = compareSeries([measured], options);
  return { name: 'peak memory', unit: 'bytes', basis: 'runs', values: measured, ...compared! };
}

const worst = (verdicts: Comparison['verdict'][]) => [...verdicts].sort((a, b) => severity.indexOf(a) - severity.indexOf(b))[0]!;

/**
 * The comparison of an experiment's sides: per benchmark the time statistics (over runs when
 * both sides have several) and, when counted, the instruction counts. `decideBy` "instructions"
 * lets the counts decide the verdict (time is still shown); REJECT and KILL come first either way.
 */
export function compareExperiment(experiment: Experiment, thresholds: Partial<Thresholds> = {}, decideBy: DecidingMetric = 'time'): ExperimentComparison {
  const before = samplesBySide(experiment, 'baseline');
  const after = samplesBySide(experiment, 'candidate');
  const names = [...after.keys()].filter((name) => before.has(name));
  const gate = gates(experiment, thresholds);
  const instructions = compareInstructions(experiment, thresholds);
  if (names.length === 0 && gate.reason) {
    return { rows: [], instructions, decidedBy: 'time', geomeanDeltaPct: Number.NaN, verdict: gate.correctnessFailed ? 'REJECT' : 'KILL', reason: gate.reason };
  }
  if (names.length === 0) throw new Error(`${experiment.id}: record a baseline and run a candidate of the same benchmark first`);
  // Without revisions, the sides ran one after the other (Record Baseline, then Run Candidate).
  const options = {
    thresholds,
    correctnessFailed: gate.correctnessFailed,
    sequential: experiment.revisions === undefined,
    ...(gate.budgetRatio !== undefined ? { budgetRatio: gate.budgetRatio } : {}),
  };
  const measured = names.map((name) => {
    const baseline = before.get(name)!;
    const candidate = after.get(name)!;
    const basis: StatisticsBasis = baseline.runMedians.length >= 2 && candidate.runMedians.length >= 2 ? 'runs' : 'samples';
    const values = basis === 'runs' ? { baseline: baseline.runMedians, candidate: candidate.runMedians } : { baseline: baseline.samples, candidate: candidate.samples };
    return { name, unit: candidate.unit, basis, values };
  });
  const compared = compareSeries(
    measured.map(({ values }) => values),
    options,
  );
  const rows = measured.map((row, i) => ({ ...row, ...compared[i]! }));
  const memory = comparePeakMemory(experiment, options);
  const decidedBy: DecidingMetric = decideBy === 'instructions' && instructions.length > 0 ? 'instructions' : decideBy === 'peak memory' && memory ? 'peak memory' : 'time';
  const gated = gate.reason ? (gate.correctnessFailed ? 'REJECT' : 'KILL') : undefined;
  const verdict = decidedBy === 'instructions' ? (gated ?? worst(instructions.map((row) => row.verdict))) : decidedBy === 'peak memory' ? memory!.verdict : worst(rows.map((row) => row.verdict));
  return { rows, instructions, ...(memory ? { memory } : {}), decidedBy, geomeanDeltaPct: geomeanCostChangePct(rows), verdict, ...(gate.reason ? { reason: gate.reason } : {}) };
}

/**
 * Sentences saying what the statistics were computed over, and how the sides were measured, for
 * the report and the panel. `interleaved`: the sides alternated (Compare Revisions).
 */
export function basisSentence(rows: readonly ComparedRow[], interleaved: boolean): string | undefined {
  if (rows.length === 0) return undefined;
  const sequential = interleaved
    ? ''
    : ' Baseline and candidate were measured one after the other: a machine that got busier or quieter in between moves one side only, by a few percent here; Compare Revisions alternates them.';
  if (rows.every((row) => row.basis === 'runs')) {
    return `Statistics over each run's median (${rows[0]!.values.baseline.length} baseline and ${rows[0]!.values.candidate.length} candidate runs): runs are independent, the samples inside one run are not.${sequential}`;
  }
  return `Statistics over the pooled samples of each side's run: samples inside one run are not independent, so p is optimistic. Take several runs a side (perfLab.experiments.runsPerSide) to judge by runs.${sequential}`;
}

const pct = (value: number) => signedPercent(value, 2);

/** A markdown report (verdict.md, and "copy as markdown" for a pull request). */
export function experimentMarkdown(experiment: Experiment, comparison: ExperimentComparison, thresholdsSource?: string): string {
  const lines = [
    `# ${experiment.id}: ${experiment.title}`,
    '',
    `Verdict: **${comparison.verdict}**${experiment.idea ? ` for the idea "${experiment.idea.title}" (${experiment.idea.document})` : ''}${comparison.reason ? `: ${comparison.reason}` : ''}.`,
    '',
    ...(comparison.rows.length
      ? ['| Benchmark | Baseline median | Candidate median | Δ | 95% CI | p (Holm) | CV base / cand | n (runs or samples) | Verdict |', '|---|---|---|---|---|---|---|---|---|']
      : []),
    ...comparison.rows.map(
      (row) =>
        `| ${row.name} | ${formatMeasurement(row.baseline.median, row.unit)} | ${formatMeasurement(row.candidate.median, row.unit)} | ${pct(row.deltaPct)} | [${pct(row.ci[0])}, ${pct(row.ci[1])}] | ${formatP(row.p)} | ${(row.baseline.cv * 100).toFixed(1)}% / ${(row.candidate.cv * 100).toFixed(1)}% | ${row.baseline.n} / ${row.candidate.n} ${row.basis} | ${row.verdict} |`,
    ),
    '',
    ...(comparison.rows.length ? [`Geometric mean of ratios: ${pct(comparison.geomeanDeltaPct)}.`, '', basisSentence(comparison.rows, experiment.revisions !== undefined)!, ''] : []),
    ...(comparison.instructions.length
      ? [
          `Instructions (callgrind, deterministic: one count a side)${comparison.decidedBy === 'instructions' ? ', which decide the verdict' : ', beside the time, which decides the verdict'}:`,
          '',
          '| Benchmark | Baseline | Candidate | Δ | Verdict |',
          '|---|---|---|---|---|',
          ...comparison.instructions.map((row) => `| ${row.name} | ${row.baseline.toLocaleString('en-US')} | ${row.candidate.toLocaleString('en-US')} | ${pct(row.deltaPct)} | ${row.verdict} |`),
          '',
        ]
      : []),
    ...(comparison.memory ? [memorySentence(comparison.memory, comparison.decidedBy === 'peak memory'), ''] : []),
    `Thresholds: ${thresholdsSource ?? 'the methodology defaults'}.`,
    '',
    ...(experiment.revisions
      ? [
          `Revisions: baseline ${describeRevision(experiment.revisions.baseline)}, candidate ${describeRevision(experiment.revisions.candidate)}, measured interleaved (baseline, candidate, baseline, …) in ${experiment.revisions.rounds} rounds.`,
          '',
        ]
      : []),
    `Runs: ${experiment.runs.map((run) => `${run.side}${run.metric ? ` ${run.metric} count` : ''} at ${run.at}${run.commit ? ` (${run.commit.slice(0, 10)}${run.dirty ? ', uncommitted changes' : ''})` : ''}${run.seconds !== undefined ? `, ${run.seconds.toFixed(1)} s` : ''}${run.overLimit ? ', stopped over its time limit' : ''}${run.correctness ? `, \`${run.correctness.command}\` exit ${run.correctness.exitCode ?? 'none'}` : ''}`).join('; ')}.`,
    '',
  ];
  return lines.join('\n');
}

/** "Peak memory (GNU time, each run's largest process): 41.5 MB -> 6.2 MB, -85.1% [-86.0%, -84.2%], p=0.00018, KEEP, which decides the verdict." */
export function memorySentence(memory: ComparedRow, decides: boolean): string {
  const figures = `${formatMeasurement(memory.baseline.median, 'bytes')} -> ${formatMeasurement(memory.candidate.median, 'bytes')}, ${pct(memory.deltaPct)} [${pct(memory.ci[0])}, ${pct(memory.ci[1])}], p=${formatP(memory.p)}`;
  return `Peak memory (GNU time, each run's largest process; ${memory.values.baseline.length} baseline and ${memory.values.candidate.length} candidate runs): ${figures}, ${memory.verdict}${decides ? ', which decides the verdict' : ', beside the time, which decides the verdict'}.`;
}
