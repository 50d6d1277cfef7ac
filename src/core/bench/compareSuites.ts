/**
 * Comparing two benchmark runs as a suite: benchmarks paired by name (or, when each side holds
 * one, with each other), each timed pair judged with its Holm-adjusted p-value (many comparisons,
 * one error budget), instruction counts judged by the change alone, and the geometric mean of
 * the ratios. No `vscode` import.
 */
import { compareCounts, compareSeries, cv, geomeanCostChangePct, median, Thresholds, Verdict } from '../stats';
import { BenchmarkResult, BenchOutput } from './results';

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
  const timedResults = compareSeries(
    timed.map(([before, after]) => ({ baseline: before.samples, candidate: after.samples, ...(before.higherIsBetter ? { higherIsBetter: true } : {}) })),
    { thresholds },
  );
  const side = (samples: number[]): SideFigures => ({ median: median(samples), n: samples.length, cv: cv(samples) });
  const benchmarks = pairs.map((pair): BenchmarkComparison => {
    const [before, after] = pair;
    const names = { name: before.name, ...(after.name !== before.name ? { candidateName: after.name } : {}) };
    if (counted(pair)) {
      const result = compareCounts(median(before.samples), median(after.samples), thresholds);
      return { ...names, baseline: side(before.samples), candidate: side(after.samples), deltaPct: result.deltaPct, ci: null, p: null, verdict: result.verdict };
    }
    const result = timedResults[timed.indexOf(pair)]!;
    const figures = (summary: SideFigures): SideFigures => ({ median: summary.median, n: summary.n, cv: summary.cv });
    return { ...names, baseline: figures(result.baseline), candidate: figures(result.candidate), deltaPct: result.deltaPct, ci: result.ci, p: result.p, verdict: result.verdict };
  });
  const geomeanDeltaPct = geomeanCostChangePct(benchmarks.map((result, i) => ({ deltaPct: result.deltaPct, ...(pairs[i]![0].higherIsBetter ? { higherIsBetter: true } : {}) })));
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
