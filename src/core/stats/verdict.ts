/**
 * Comparing a baseline and a candidate the way docs/perf/methodology.md says: enough runs, a
 * stable machine (CV), then KEEP / MAYBE / DISCARD by the measured change, its interval and its
 * p-value. Lower is better (time, instructions).
 */
import { formatP } from '../format';
import { cv, median, robustCv } from './descriptive';
import { bootstrapRatioOfMedians, Interval, mannWhitneyU } from './inference';

export type Verdict = 'KEEP' | 'MAYBE' | 'DISCARD' | 'DISCARD (regression)' | 'NOISY' | 'REJECT' | 'KILL';

export interface Thresholds {
  /** Fewer runs than this on either side: NOISY. */
  minRuns: number;
  /**
   * A robust CV (1.4826 MAD / median) at or above this (0.10 = 10%) on either side: NOISY. The
   * robust CV, like the medians compared, is not blown up by a few preempted runs; the plain CV
   * is reported beside it.
   */
  maxCv: number;
  /** Significance level of the Mann-Whitney test. */
  alpha: number;
  /** KEEP: an improvement of at least this (0.05 = 5%)... */
  keepImprovement: number;
  /** ...with the whole interval beyond this (0.02 = 2%). */
  minImprovement: number;
  /** KILL when the candidate takes longer than this times the baseline's time budget. */
  killFactor: number;
}

export const defaultThresholds: Thresholds = { minRuns: 10, maxCv: 0.1, alpha: 0.05, keepImprovement: 0.05, minImprovement: 0.02, killFactor: 1.1 };

export interface SideSummary {
  median: number;
  n: number;
  cv: number;
  robustCv: number;
}

export interface Comparison {
  baseline: SideSummary;
  candidate: SideSummary;
  /** median(candidate) / median(baseline) - 1, in percent: negative is faster. */
  deltaPct: number;
  /** Interval of deltaPct (from the bootstrap of the ratio of medians). */
  ci: [number, number];
  p: number;
  verdict: Verdict;
  /** Why, in a sentence. */
  reason: string;
}

export function summarize(samples: ArrayLike<number>): SideSummary {
  return { median: median(samples), n: samples.length, cv: cv(samples), robustCv: robustCv(samples) };
}

export interface CompareOptions {
  thresholds?: Partial<Thresholds>;
  /** The correctness check of the candidate failed. */
  correctnessFailed?: boolean;
  /** Candidate time used over the baseline's (for KILL). */
  budgetRatio?: number;
  /** p-value to judge by (e.g. Holm-adjusted across a suite) instead of the raw one. */
  adjustedP?: number;
  resamples?: number;
  seed?: number;
  /**
   * The sides ran one after the other, not interleaved: drift of the machine between them moves
   * one side only (a no-change experiment measured -5.6% [-9.6%, -2.7%] here), and no interval
   * covers it. KEEP then needs the whole interval beyond the KEEP bar itself, not the 2% floor.
   */
  sequential?: boolean;
}

/**
 * The verdict a change (candidate / baseline) falls in by size alone: KEEP from keepImprovement
 * faster, MAYBE from minImprovement, a regression from `regressionFrom` slower, DISCARD between.
 */
function verdictRange(ratio: number, t: Thresholds, regressionFrom: number): 'KEEP' | 'MAYBE' | 'DISCARD' | 'DISCARD (regression)' {
  if (ratio <= 1 - t.keepImprovement) return 'KEEP';
  if (ratio <= 1 - t.minImprovement) return 'MAYBE';
  return ratio < 1 + regressionFrom ? 'DISCARD' : 'DISCARD (regression)';
}

const signed = (percent: number) => `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`;
const pText = (p: number) => `${p < 1e-16 ? '' : '= '}${formatP(p)}`;

export function compare(baseline: ArrayLike<number>, candidate: ArrayLike<number>, options: CompareOptions = {}): Comparison {
  const t = { ...defaultThresholds, ...options.thresholds };
  const before = summarize(baseline);
  const after = summarize(candidate);
  const ratio = after.median / before.median;
  const interval: Interval = bootstrapRatioOfMedians(baseline, candidate, { resamples: options.resamples ?? 10_000, seed: options.seed ?? 0x5eed });
  const rawP = mannWhitneyU(baseline, candidate).p;
  const p = options.adjustedP ?? rawP;
  const result = (verdict: Verdict, reason: string): Comparison => ({
    baseline: before,
    candidate: after,
    deltaPct: (ratio - 1) * 100,
    ci: [(interval.low - 1) * 100, (interval.high - 1) * 100],
    p,
    verdict,
    reason,
  });
  if (options.correctnessFailed) return result('REJECT', 'the correctness check failed on the candidate');
  if (options.budgetRatio !== undefined && options.budgetRatio > t.killFactor) return result('KILL', `the candidate ran past ${t.killFactor}x the baseline's time budget`);
  if (before.n < t.minRuns || after.n < t.minRuns) return result('NOISY', `fewer than ${t.minRuns} runs on a side: rerun with more`);
  const noisiest = Math.max(before.robustCv, after.robustCv);
  const improvement = 1 - ratio;
  const significant = p < t.alpha;
  // Sides measured one after the other: KEEP and a regression both need the whole interval
  // beyond the KEEP bar, as drift between the sides is in no interval. Runs on this machine
  // drift in stretches (lag-1 autocorrelation 0.94 over 2,000 runs): a regression from 2% made
  // 15-20% of sequential A/A comparisons regressions (npm run bench), none with this bar.
  const floor = options.sequential ? Math.max(t.minImprovement, t.keepImprovement) : t.minImprovement;
  if (noisiest >= t.maxCv) {
    // Noise blocks a verdict only when it could change it: when the whole interval lies in one
    // verdict's range of changes, that verdict stands and says the runs were noisy.
    const low = verdictRange(interval.low, t, floor);
    const high = verdictRange(interval.high, t, floor);
    const ci = `[${signed((interval.low - 1) * 100)}, ${signed((interval.high - 1) * 100)}]`;
    const cvText = `robust CV ${(noisiest * 100).toFixed(1)}%, at or above ${(t.maxCv * 100).toFixed(0)}%`;
    if (low === high && (significant || low === 'DISCARD')) {
      const change = low === 'DISCARD' ? `${signed((ratio - 1) * 100)}, no change that counts` : ratio < 1 ? `${(improvement * 100).toFixed(1)}% faster` : `${((ratio - 1) * 100).toFixed(1)}% slower`;
      return result(low, `${change} (p ${pText(p)}); the runs were noisy (${cvText}), but the whole interval ${ci} lies in the range of a ${low}`);
    }
    return result('NOISY', `${cvText}, and the interval ${ci} ${low === high ? 'is not significant' : `reaches from a ${low} to a ${high}`}: quiet the machine and rerun`);
  }
  // A slowdown counts as a regression from the same size on as an improvement counts as one:
  // under minImprovement it is DISCARD, as the methodology's "less than 2%" says.
  if (significant && ratio - 1 >= t.minImprovement) {
    if (!options.sequential || interval.low >= 1 + floor) return result('DISCARD (regression)', `${((ratio - 1) * 100).toFixed(1)}% slower (p ${pText(p)})`);
    return result(
      'DISCARD',
      `${((ratio - 1) * 100).toFixed(1)}% slower (p ${pText(p)}), but measured one after the other a regression needs the whole interval beyond +${(floor * 100).toFixed(0)}% (drift between the sides is not in it)`,
    );
  }
  if (significant && ratio > 1) return result('DISCARD', `${((ratio - 1) * 100).toFixed(1)}% slower (p ${pText(p)}), under the ${(t.minImprovement * 100).toFixed(0)}% that counts as a change`);
  if (significant && improvement >= t.keepImprovement && interval.high <= 1 - floor) {
    return result('KEEP', `${(improvement * 100).toFixed(1)}% faster, the whole interval beyond ${(floor * 100).toFixed(0)}% (p ${pText(p)})`);
  }
  const drift =
    options.sequential && improvement >= t.keepImprovement
      ? `; measured one after the other, KEEP needs the whole interval beyond ${(floor * 100).toFixed(0)}% (drift between the sides is not in it)`
      : '';
  if (significant && improvement >= t.minImprovement) return result('MAYBE', `${(improvement * 100).toFixed(1)}% faster (p ${pText(p)}), but below the bar for KEEP${drift}`);
  return result('DISCARD', significant ? `under ${(t.minImprovement * 100).toFixed(0)}% faster` : `no detectable change (p ${pText(p)})`);
}

/** A deterministic count (callgrind's instructions) on each side, judged without a p-value. */
/** Which metric decides an experiment's verdict: time (the default), callgrind's instruction counts, or the runs' peak memory. */
export type DecidingMetric = 'time' | 'instructions' | 'peak memory';

export interface CountComparison {
  baseline: number;
  candidate: number;
  /** candidate / baseline - 1, in percent: negative is fewer. */
  deltaPct: number;
  verdict: Verdict;
  reason: string;
}

/**
 * Instruction counts are the same on every run of the same code, so there is no noise to test
 * against: the change alone decides, by the same bars as time (KEEP from 5% fewer, MAYBE from
 * 2%, a regression from 2% more, DISCARD under 2% either way).
 */
export function compareCounts(baseline: number, candidate: number, thresholds: Partial<Thresholds> = {}): CountComparison {
  const t = { ...defaultThresholds, ...thresholds };
  const ratio = candidate / baseline;
  const change = Math.abs(ratio - 1) * 100;
  const result = (verdict: Verdict, reason: string): CountComparison => ({ baseline, candidate, deltaPct: (ratio - 1) * 100, verdict, reason });
  if (!(baseline > 0) || !Number.isFinite(candidate)) return result('NOISY', 'no instruction count on a side');
  if (ratio - 1 >= t.minImprovement) return result('DISCARD (regression)', `${change.toFixed(1)}% more instructions`);
  if (1 - ratio >= t.keepImprovement) return result('KEEP', `${change.toFixed(1)}% fewer instructions`);
  if (1 - ratio >= t.minImprovement) return result('MAYBE', `${change.toFixed(1)}% fewer instructions, below the bar for KEEP`);
  return result('DISCARD', `${change.toFixed(2)}% ${ratio > 1 ? 'more' : 'fewer'} instructions, under the ${(t.minImprovement * 100).toFixed(0)}% that counts as a change`);
}
