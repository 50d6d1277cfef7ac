/**
 * Inference for benchmark comparisons: a seeded bootstrap interval of the ratio of medians, the
 * two-sided Mann-Whitney U test (exact for small samples, ties included, else the normal
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
export function bootstrapRatioOfMedians(baseline: ArrayLike<number>, candidate: ArrayLike<number>, options: { resamples?: number; level?: number; seed?: number } = {}): Interval {
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
  drawCounts(counts, state);
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

/** How many times each of `counts.length` values a resample with replacement takes (xorshift32, seeded through `state`). */
export function drawCounts(counts: Int32Array, state: Uint32Array): void {
  const n = counts.length;
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
}

export interface MannWhitneyResult {
  /** U of the first sample. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
}

/**
 * Standard normal cumulative distribution to about 1e-14: erf by its Taylor series near zero,
 * erfc by its continued fraction in the tails (p-values are compared to 7 places with SciPy's).
 */
export function normalCdf(z: number): number {
  const x = z / Math.SQRT2;
  if (Math.abs(x) < 2.5) return 0.5 * (1 + erfSeries(x));
  return x > 0 ? 1 - 0.5 * erfcFraction(x) : 0.5 * erfcFraction(-x);
}

function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc(x) for x >= 2.5: exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), by Lentz's method. */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Sample sizes up to which p is exact, as benchstat does: 50 a side without ties, 25 with. */
const exactLimit = 50;
const exactLimitWithTies = 25;

/**
 * Two-sided Mann-Whitney U test of two independent samples. Small samples get the exact
 * distribution of U, with ties too (the distribution given the tie pattern, Klotz 1966), and
 * p = 2 P(U <= min(U1, U2)) as benchstat computes it; larger ones the normal approximation with
 * tie and continuity corrections, as SciPy and benchstat use it. `method` forces one of the two.
 */
export function mannWhitneyU(first: ArrayLike<number>, second: ArrayLike<number>, options: { method?: 'exact' | 'normal' } = {}): MannWhitneyResult {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, p: Number.NaN, method: 'normal' };
  const all = [...Array.from(first, (value) => ({ value, group: 0 })), ...Array.from(second, (value) => ({ value, group: 1 }))].sort((x, y) => x.value - y.value);
  // Average ranks for ties, the size of each run of equal values, and the tie-correction term.
  let rankSum = 0;
  let tieTerm = 0;
  const tieSizes: number[] = [];
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.value === all[i]!.value) j++;
    const rank = (i + j + 2) / 2;
    const size = j - i + 1;
    tieSizes.push(size);
    if (size > 1) tieTerm += size ** 3 - size;
    for (let k = i; k <= j; k++) if (all[k]!.group === 0) rankSum += rank;
    i = j + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const limit = tieTerm === 0 ? exactLimit : exactLimitWithTies;
  const exact = options.method ? options.method === 'exact' : n1 <= limit && n2 <= limit;
  if (exact) {
    // All values equal: nothing tells the samples apart.
    if (tieSizes.length === 1) return { u, p: 1, method: 'exact' };
    return { u, p: tieTerm === 0 ? exactPWithoutTies(u, n1, n2) : exactPWithTies(u, n1, n2, tieSizes), method: 'exact' };
  }
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u, p: 1, method: 'normal' };
  const z = (Math.abs(u - mu) - 0.5) / sigma;
  return { u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), method: 'normal' };
}

/**
 * Exact two-sided p of U given the sizes of the runs of equal values (all 1 without ties): the
 * first sample takes c of each run of size t in C(t, c) ways, adding c times the run's mid-rank;
 * counted by dynamic programming over twice the rank sum (an integer).
 */
function exactPWithTies(u: number, n1: number, n2: number, tieSizes: readonly number[]): number {
  const n = n1 + n2;
  const maxSum = n * (n + 1); // twice the largest rank sum
  // ways[c][s]: ways to take c values so far with twice their rank sum s.
  let ways: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(maxSum + 1));
  ways[0]![0] = 1;
  let before = 0;
  for (const size of tieSizes) {
    const twiceMidRank = 2 * before + size + 1;
    const next = Array.from({ length: n1 + 1 }, () => new Float64Array(maxSum + 1));
    let binomial = 1; // C(size, take)
    for (let take = 0; take <= size && take <= n1; take++) {
      if (take > 0) binomial = (binomial * (size - take + 1)) / take;
      const shift = take * twiceMidRank;
      for (let c = 0; c + take <= n1; c++) {
        const from = ways[c]!;
        const to = next[c + take]!;
        for (let s = 0; s + shift <= maxSum; s++) if (from[s]) to[s + shift] += from[s]! * binomial;
      }
    }
    ways = next;
    before += size;
  }
  const counts = ways[n1]!;
  const offset = n1 * (n1 + 1); // twice n1(n1+1)/2
  const u1 = u;
  const u2 = n1 * n2 - u;
  if (u1 === u2) return 1;
  const small = Math.min(u1, u2);
  let total = 0;
  let atMost = 0;
  for (let s = 0; s <= maxSum; s++) {
    if (!counts[s]) continue;
    total += counts[s]!;
    // The U of this arrangement; equal runs make it a multiple of 1/2.
    if ((s - offset) / 2 <= small + 1e-9) atMost += counts[s]!;
  }
  return Math.min(1, (2 * atMost) / total);
}

/** Exact two-sided p of U without ties: counts of rank arrangements by dynamic programming on U. */
function exactPWithoutTies(u: number, n1: number, n2: number): number {
  const maxU = n1 * n2;
  // counts[i][k]: arrangements of i first-sample values among m second-sample values with U = k,
  // built up by m: f(i, m, k) = f(i - 1, m, k - m) + f(i, m - 1, k).
  let previous: Float64Array[] = Array.from({ length: n1 + 1 }, () => {
    const row = new Float64Array(maxU + 1);
    row[0] = 1;
    return row;
  });
  for (let m = 1; m <= n2; m++) {
    const current: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(maxU + 1));
    current[0]![0] = 1;
    for (let i = 1; i <= n1; i++) {
      const row = current[i]!;
      const below = current[i - 1]!;
      const same = previous[i]!;
      const top = Math.min(maxU, i * m);
      for (let k = 0; k <= top; k++) row[k] = (k >= m ? below[k - m]! : 0) + same[k]!;
    }
    previous = current;
  }
  const counts = previous[n1]!;
  let total = 0;
  let atMost = 0;
  const small = Math.min(u, maxU - u);
  for (let k = 0; k <= maxU; k++) {
    total += counts[k]!;
    if (k <= small) atMost += counts[k]!;
  }
  return Math.min(1, (2 * atMost) / total);
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
