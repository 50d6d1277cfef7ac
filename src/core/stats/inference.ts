/**
 * Inference for benchmark comparisons: a seeded bootstrap interval of the ratio of medians, the
 * two-sided Mann-Whitney U test (exact without ties for small samples, else the normal
 * approximation with tie and continuity corrections), and Holm's correction across a suite.
 */
import { select } from './descriptive';

/** A small seeded PRNG (mulberry32): the same seed gives the same interval on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  low: number;
  high: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

/** Percentile bootstrap interval of median(candidate) / median(baseline). */
export function bootstrapRatioOfMedians(
  baseline: ArrayLike<number>,
  candidate: ArrayLike<number>,
  options: { resamples?: number; level?: number; seed?: number } = {},
): Interval {
  const resamples = options.resamples ?? 10_000;
  const level = options.level ?? 0.95;
  const a = Float64Array.from(baseline).sort();
  const b = Float64Array.from(candidate).sort();
  const countsA = new Int32Array(a.length);
  const countsB = new Int32Array(b.length);
  const ratios = new Float64Array(resamples);
  const state = new Uint32Array([(options.seed ?? 0x5eed) >>> 0 || 0x9e3779b9]);
  for (let r = 0; r < resamples; r++) ratios[r] = resampledMedian(b, countsB, state) / resampledMedian(a, countsA, state);
  const tail = (1 - level) / 2;
  const low = select(ratios, Math.floor(tail * (resamples - 1)));
  const high = select(ratios, Math.ceil((1 - tail) * (resamples - 1)));
  return { low, high, level };
}

/**
 * The median of a resample with replacement of `sorted`, without sorting: draw how many times
 * each value is taken (xorshift32 indices, seeded through `state`), then walk the counts to the
 * middle position(s).
 */
function resampledMedian(sorted: Float64Array, counts: Int32Array, state: Uint32Array): number {
  const n = sorted.length;
  counts.fill(0);
  let x = state[0]!;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    // Multiply-shift maps 32 random bits onto 0..n-1 without a division.
    counts[Math.floor(((x >>> 0) * n) / 4294967296)]!++;
  }
  state[0] = x;
  const upper = n >> 1;
  let seen = 0;
  let lowerValue = Number.NaN;
  for (let i = 0; i < n; i++) {
    const before = seen;
    seen += counts[i]!;
    if (n % 2 === 0 && before <= upper - 1 && upper - 1 < seen) lowerValue = sorted[i]!;
    if (before <= upper && upper < seen) return n % 2 === 1 ? sorted[i]! : (lowerValue + sorted[i]!) / 2;
  }
  return sorted[n - 1]!;
}

export interface MannWhitneyResult {
  /** U of the first sample. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
}

/** Standard normal cumulative distribution (Abramowitz-Stegun 7.1.26 via erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Two-sided Mann-Whitney U test of two independent samples. */
export function mannWhitneyU(first: ArrayLike<number>, second: ArrayLike<number>): MannWhitneyResult {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, p: Number.NaN, method: 'normal' };
  const all = [...Array.from(first, (value) => ({ value, group: 0 })), ...Array.from(second, (value) => ({ value, group: 1 }))].sort((x, y) => x.value - y.value);
  // Average ranks for ties, and the tie-correction term.
  let rankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.value === all[i]!.value) j++;
    const rank = (i + j + 2) / 2;
    const size = j - i + 1;
    if (size > 1) tieTerm += size ** 3 - size;
    for (let k = i; k <= j; k++) if (all[k]!.group === 0) rankSum += rank;
    i = j + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  if (tieTerm === 0 && n1 * n2 <= 2500 && Math.min(n1, n2) <= 25) {
    return { u, p: exactP(u, n1, n2), method: 'exact' };
  }
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u, p: 1, method: 'normal' };
  const z = (Math.abs(u - mu) - 0.5) / sigma;
  return { u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), method: 'normal' };
}

/** Exact two-sided p of U without ties: counts of rank arrangements by dynamic programming. */
function exactP(u: number, n1: number, n2: number): number {
  const maxU = n1 * n2;
  // counts[i][k]: arrangements of i first-sample values among the others with U = k, built up by n2.
  // With no second-sample value, every arrangement has U = 0.
  let previous: Float64Array[] = Array.from({ length: n1 + 1 }, () => {
    const row = new Float64Array(maxU + 1);
    row[0] = 1;
    return row;
  });
  // With m second-sample values: f(i, m, k) = f(i - 1, m, k - m) + f(i, m - 1, k).
  for (let m = 1; m <= n2; m++) {
    const current: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(maxU + 1));
    current[0]![0] = 1;
    for (let i = 1; i <= n1; i++) {
      for (let k = 0; k <= maxU; k++) {
        current[i]![k] = (k >= m ? current[i - 1]![k - m]! : 0) + previous[i]![k]!;
      }
    }
    previous = current;
  }
  const counts = previous[n1]!;
  let total = 0;
  let atMost = 0;
  let atLeast = 0;
  for (let k = 0; k <= maxU; k++) {
    total += counts[k]!;
    if (k <= u) atMost += counts[k]!;
    if (k >= u) atLeast += counts[k]!;
  }
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / total);
}

/** Holm-Bonferroni adjusted p-values, in the input order. */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
