/**
 * Latency distributions compared as the teams read them: P50, P90, P99, P99.9 of baseline and
 * candidate, each quantile's change with a bootstrap interval (both sides resampled, the ratio of
 * their quantiles). A median can hold while the tail doubles; this says so. No `vscode` import.
 */
import { drawCounts, Interval } from './inference';

export const latencyQuantiles = [0.5, 0.9, 0.99, 0.999] as const;

/** The q-quantile of sorted values, linearly interpolated between ranks (numpy's default, R's type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.min(n - 1, below + 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/** "P99", "P99.9". */
export function quantileLabel(q: number): string {
  return `P${Number((q * 100).toFixed(3))}`;
}

export interface QuantileChange {
  quantile: number;
  baseline: number;
  candidate: number;
  /** candidate / baseline - 1, in percent: negative is faster. */
  deltaPct: number;
  /** The interval of deltaPct. */
  ci: [number, number];
}

/**
 * The quantiles of the resample that takes `sorted[i]` `counts[i]` times (counts summing to its
 * length; a bootstrap draws them, so nothing is sorted again): the values at the two ranks around
 * each quantile's position, interpolated.
 * Ranks are asked for in ascending quantile order, so one forward walk over the counts finds
 * them (a step back of one rank, when two quantiles share a rank, walks back a little).
 */
export function quantilesFromCounts(sorted: ArrayLike<number>, counts: Int32Array, qs: readonly number[], out: Float64Array): void {
  const n = sorted.length;
  let index = 0;
  let before = 0; // values drawn before `index`
  const valueAt = (rank: number): number => {
    while (rank >= before + counts[index]!) before += counts[index++]!;
    let j = index;
    let start = before;
    while (rank < start) start -= counts[--j]!;
    return sorted[j]!;
  };
  for (let k = 0; k < qs.length; k++) {
    const position = (n - 1) * qs[k]!;
    const below = Math.floor(position);
    const low = valueAt(below);
    out[k] = low + (position - below) * (valueAt(Math.min(n - 1, below + 1)) - low);
  }
}

export function compareQuantiles(
  baseline: ArrayLike<number>,
  candidate: ArrayLike<number>,
  options: { quantiles?: readonly number[]; resamples?: number; level?: number; seed?: number } = {},
): QuantileChange[] {
  const qs = [...(options.quantiles ?? latencyQuantiles)].sort((a, b) => a - b);
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const a = Float64Array.from(baseline).sort();
  const b = Float64Array.from(candidate).sort();
  const countsA = new Int32Array(a.length);
  const countsB = new Int32Array(b.length);
  const ratios = qs.map(() => new Float64Array(resamples));
  const quantilesA = new Float64Array(qs.length);
  const quantilesB = new Float64Array(qs.length);
  const state = new Uint32Array([(options.seed ?? 0x5eed) >>> 0 || 0x9e3779b9]);
  for (let r = 0; r < resamples; r++) {
    drawCounts(countsA, state);
    quantilesFromCounts(a, countsA, qs, quantilesA);
    drawCounts(countsB, state);
    quantilesFromCounts(b, countsB, qs, quantilesB);
    for (let k = 0; k < qs.length; k++) ratios[k]![r] = quantilesB[k]! / quantilesA[k]!;
  }
  const tail = (1 - level) / 2;
  return qs.map((q, k) => {
    const sorted = ratios[k]!.sort();
    const interval: Interval = { low: sorted[Math.floor(tail * (resamples - 1))]!, high: sorted[Math.ceil((1 - tail) * (resamples - 1))]!, level };
    const before = quantile(a, q);
    const after = quantile(b, q);
    return { quantile: q, baseline: before, candidate: after, deltaPct: (after / before - 1) * 100, ci: [(interval.low - 1) * 100, (interval.high - 1) * 100] };
  });
}
