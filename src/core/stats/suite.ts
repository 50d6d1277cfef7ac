/**
 * Several benchmarks compared at once, as `perf-lab compare` and an experiment's report both do:
 * each pair judged with its Holm-adjusted p-value (many comparisons, one error budget),
 * throughputs judged as the time per unit of work, and the geometric mean of the cost ratios.
 */
import { geometricMean } from './descriptive';
import { holm, mannWhitneyU } from './inference';
import { compare, CompareOptions, Comparison, summarize } from './verdict';

export interface SeriesPair {
  baseline: readonly number[];
  candidate: readonly number[];
  /** A throughput (ops/s, MB/s): more is better. */
  higherIsBetter?: boolean;
}

/** Each pair compared with `options` and its Holm-adjusted p; the changes are in the measure itself. */
export function compareSeries(pairs: readonly SeriesPair[], options: Omit<CompareOptions, 'adjustedP'> = {}): Comparison[] {
  // Holm needs every raw p first; the bootstrap runs once per pair, in compare() below.
  const adjusted = holm(pairs.map((pair) => mannWhitneyU(pair.baseline, pair.candidate).p));
  return pairs.map((pair, i) => {
    const judged = { ...options, adjustedP: adjusted[i]! };
    if (!pair.higherIsBetter) return compare(pair.baseline, pair.candidate, judged);
    // A throughput is judged as its reciprocal (lower is better, as compare() assumes); the
    // change and its interval are reported in the throughput.
    const inverse = (values: readonly number[]) => values.map((value) => 1 / value);
    const result = compare(inverse(pair.baseline), inverse(pair.candidate), judged);
    const ratio = (delta: number) => 1 / (1 + delta / 100);
    const baseline = summarize(pair.baseline);
    const candidate = summarize(pair.candidate);
    return { ...result, baseline, candidate, deltaPct: (candidate.median / baseline.median - 1) * 100, ci: [(ratio(result.ci[1]) - 1) * 100, (ratio(result.ci[0]) - 1) * 100] };
  });
}

/** The geometric mean of the changes as costs (a throughput's ratio inverted, so faster is always negative), in percent. */
export function geomeanCostChangePct(changes: readonly { deltaPct: number; higherIsBetter?: boolean }[]): number {
  return (geometricMean(changes.map((change) => (change.higherIsBetter ? 1 / (1 + change.deltaPct / 100) : 1 + change.deltaPct / 100))) - 1) * 100;
}
