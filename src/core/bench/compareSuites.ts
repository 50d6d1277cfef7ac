/**
 * Comparing two benchmark runs as a suite: benchmarks paired by name (or, when each side holds
 * one, with each other), each timed pair judged with its Holm-adjusted p-value (many comparisons,
 * one error budget), instruction counts judged by the change alone, and the geometric mean of
 * the ratios. No `vscode` import.
 */
import { compare, compareCounts, cv, geometricMean, holm, mannWhitneyU, median, Thresholds, Verdict } from '../stats';
import { BenchmarkResult, BenchOutput } from './parse';

export interface SideFigures {
  median: number;
  n: number;
  cv: number;
}

export interface BenchmarkComparison {
  name: string;
  /** The candidate's name when it was paired with a differently named baseline. */
  candidateName?: string;
  baseline: SideFigures;
  candidate: SideFigures;
  deltaPct: number;
  /** Interval of deltaPct; null for instruction counts (deterministic). */
  ci: [number, number] | null;
  /** Holm-adjusted p-value; null for instruction counts. */
  p: number | null;
  verdict: Verdict;
}

export interface SuiteComparison {
  benchmarks: BenchmarkComparison[];
  geomeanDeltaPct: number;
  /** How the sides were paired: by name, or the one benchmark of each side with the other. */
  pairing: 'name' | 'single';
}

type Pair = readonly [BenchmarkResult, BenchmarkResult];

/** Pairs by name; with no name in common and one benchmark a side, those two. */
export function pairBenchmarks(baseline: BenchOutput, candidate: BenchOutput): { pairs: Pair[]; pairing: SuiteComparison['pairing'] } {
  const byName = new Map(baseline.benchmarks.map((result) => [result.name, result]));
  const pairs = candidate.benchmarks.flatMap((after) => {
    const before = byName.get(after.name);
    return before ? [[before, after] as const] : [];
  });
  if (pairs.length === 0 && baseline.benchmarks.length === 1 && candidate.benchmarks.length === 1) {
    return { pairs: [[baseline.benchmarks[0]!, candidate.benchmarks[0]!]], pairing: 'single' };
  }
  return { pairs, pairing: 'name' };
}

export function compareSuites(baseline: BenchOutput, candidate: BenchOutput, thresholds: Partial<Thresholds> = {}): SuiteComparison {
  const { pairs, pairing } = pairBenchmarks(baseline, candidate);
  // Instruction counts (iai, callgrind) are deterministic: judged by the change alone.
  const counted = ([before, after]: Pair) => before.unit === 'instructions' && after.unit === 'instructions';
  const timed = pairs.filter((pair) => !counted(pair));
  const adjusted = holm(timed.map(([before, after]) => mannWhitneyU(before.samples, after.samples).p));
  const side = (samples: number[]): SideFigures => ({ median: median(samples), n: samples.length, cv: cv(samples) });
  const benchmarks = pairs.map((pair): BenchmarkComparison => {
    const [before, after] = pair;
    const names = { name: before.name, ...(after.name !== before.name ? { candidateName: after.name } : {}) };
    if (counted(pair)) {
      const result = compareCounts(median(before.samples), median(after.samples), thresholds);
      return { ...names, baseline: side(before.samples), candidate: side(after.samples), deltaPct: result.deltaPct, ci: null, p: null, verdict: result.verdict };
    }
    const options = { thresholds, adjustedP: adjusted[timed.indexOf(pair)]! };
    if (before.higherIsBetter) {
      // A throughput is judged as the time per unit of work (its reciprocal); the change and its
      // interval are reported in the throughput itself.
      const inverse = (samples: number[]) => samples.map((value) => 1 / value);
      const result = compare(inverse(before.samples), inverse(after.samples), options);
      const ratio = (delta: number) => 1 / (1 + delta / 100);
      return {
        ...names,
        baseline: side(before.samples),
        candidate: side(after.samples),
        deltaPct: (median(after.samples) / median(before.samples) - 1) * 100,
        ci: [(ratio(result.ci[1]) - 1) * 100, (ratio(result.ci[0]) - 1) * 100],
        p: result.p,
        verdict: result.verdict,
      };
    }
    const result = compare(before.samples, after.samples, options);
    return {
      ...names,
      baseline: { median: result.baseline.median, n: result.baseline.n, cv: result.baseline.cv },
      candidate: { median: result.candidate.median, n: result.candidate.n, cv: result.candidate.cv },
      deltaPct: result.deltaPct,
      ci: result.ci,
      p: result.p,
      verdict: result.verdict,
    };
  });
  // Of the costs: a throughput's ratio counts inverted, so faster is always below 1.
  const costRatio = (result: BenchmarkComparison, i: number) => (pairs[i]![0].higherIsBetter ? 1 / (1 + result.deltaPct / 100) : 1 + result.deltaPct / 100);
  const geomeanDeltaPct = (geometricMean(benchmarks.map(costRatio)) - 1) * 100;
  return { benchmarks, geomeanDeltaPct, pairing };
}

/** One file holding exactly two benchmarks (a hyperfine run of two commands): the first is the baseline. */
export function splitBaselineAndCandidate(output: BenchOutput): [BenchOutput, BenchOutput] | undefined {
  if (output.benchmarks.length !== 2) return undefined;
  return [
    { tool: output.tool, benchmarks: [output.benchmarks[0]!] },
    { tool: output.tool, benchmarks: [output.benchmarks[1]!] },
  ];
}
