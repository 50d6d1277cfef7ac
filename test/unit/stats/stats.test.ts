import * as assert from 'node:assert/strict';
import { bootstrapRatioOfMedians, compare, cv, geometricMean, holm, mad, mannWhitneyU, median, normalCdf, robustCv, seededRandom } from '../../../src/core/stats';

/** U of the first sample for its observed split and for every split of the pooled values (ties count 1/2). */
function everySplitU(first: number[], second: number[]): { observed: number; all: number[] } {
  const pooled = [...first, ...second];
  const n1 = first.length;
  const uOf = (group: number[], others: number[]) => group.reduce((sum, x) => sum + others.reduce((s, y) => s + (x > y ? 1 : x === y ? 0.5 : 0), 0), 0);
  const all: number[] = [];
  const choose = (start: number, picked: number[]) => {
    if (picked.length === n1) {
      all.push(
        uOf(
          picked.map((i) => pooled[i]!),
          pooled.filter((_, i) => !picked.includes(i)),
        ),
      );
      return;
    }
    for (let i = start; i < pooled.length; i++) choose(i + 1, [...picked, i]);
  };
  choose(0, []);
  return { observed: uOf(first, second), all };
}

/** Two-sided permutation p of U by enumerating every split (an independent check of the test). */
function permutationP(first: number[], second: number[]): number {
  const { observed, all } = everySplitU(first, second);
  const mu = (first.length * second.length) / 2;
  return all.filter((u) => Math.abs(u - mu) >= Math.abs(observed - mu) - 1e-9).length / all.length;
}

/** benchstat's two-sided p by enumeration: 2 P(U <= min(U1, U2)), 1 when U1 = U2. */
function permutationPSmaller(first: number[], second: number[]): number {
  const { observed, all } = everySplitU(first, second);
  const other = first.length * second.length - observed;
  if (observed === other) return 1;
  const small = Math.min(observed, other);
  return Math.min(1, (2 * all.filter((u) => u <= small + 1e-9).length) / all.length);
}

function noisy(centre: number, spread: number, n: number, seed: number): number[] {
  const random = seededRandom(seed);
  // Sum of uniforms: bell-shaped, deterministic.
  return Array.from({ length: n }, () => centre + spread * (random() + random() + random() - 1.5));
}

describe('descriptive statistics', () => {
  it('median, MAD, CV, robust CV and geometric mean', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(mad([1, 1, 2, 2, 4, 6, 9]), 1);
    assert.ok(Math.abs(cv([2, 4, 4, 4, 5, 5, 7, 9]) - 2.138089935 / 5) < 1e-9);
    assert.ok(robustCv([10, 10, 10, 10, 1000]) === 0, 'one outlier does not move the robust CV');
    assert.ok(Math.abs(geometricMean([0.5, 2]) - 1) < 1e-12);
  });
});

describe('Mann-Whitney U', () => {
  it('matches the published exact p for SciPy’s example (U = 17, p = 1/9)', () => {
    const result = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    assert.equal(result.u, 17);
    assert.equal(result.method, 'exact');
    assert.ok(Math.abs(result.p - 1 / 9) < 1e-12, String(result.p));
  });

  it('agrees with a full permutation test for small samples without ties', () => {
    const cases: [number[], number[]][] = [
      [
        [1.1, 2.3, 0.7, 4.2],
        [3.3, 5.1, 6.0, 2.9, 4.4],
      ],
      [
        [10, 12, 11, 13, 9, 8],
        [14, 15, 7, 16],
      ],
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ];
    for (const [a, b] of cases) assert.ok(Math.abs(mannWhitneyU(a, b).p - permutationP(a, b)) < 1e-9);
  });

  it('is exact when values tie: the same p as enumerating every split of the pooled values', () => {
    const cases: [number[], number[]][] = [
      [
        [1, 2, 2, 3, 3, 3, 4, 5],
        [3, 4, 4, 5, 5, 6, 6, 7],
      ],
      [
        [8, 8],
        [7, 4.54, 800],
      ],
      [
        [5, 5, 5, 6],
        [5, 6, 6, 6, 7],
      ],
      [
        [1, 1, 2, 2, 3],
        [1, 2, 3, 3, 3, 4],
      ],
    ];
    for (const [a, b] of cases) {
      const result = mannWhitneyU(a, b);
      assert.equal(result.method, 'exact');
      assert.ok(Math.abs(result.p - permutationPSmaller(a, b)) < 1e-12, `${a} | ${b}: ${result.p} vs ${permutationPSmaller(a, b)}`);
    }
    // The normal approximation (SciPy's method for ties) stays available and close.
    const [a, b] = cases[0]!;
    assert.ok(Math.abs(mannWhitneyU(a, b, { method: 'normal' }).p - permutationP(a, b)) < 0.01);
  });

  it('matches benchstat on tied samples: 2 P(U <= min(U1, U2)) over the exact distribution', () => {
    // [8, 8] against [7, 4.54, 800]: ranks 3.5, 3.5 of 1, 2, 3.5, 3.5, 5; U1 = 4, U2 = 2. Of the
    // ten equally likely splits, three give U <= 2 (0, 1.5, 1.5): p = 0.6.
    assert.equal(mannWhitneyU([8, 8], [7, 4.54, 800]).p, 0.6);
    // SciPy's asymptotic method on the same values (Google Benchmark's compare.py): 0.7670968684102772.
    assert.ok(Math.abs(mannWhitneyU([8, 8], [7, 4.54, 800], { method: 'normal' }).p - 0.7670968684102772) < 1e-7);
  });

  it('the normal approximation converges on the exact p for larger samples', () => {
    const a = noisy(100, 10, 25, 1);
    const b = noisy(104, 10, 25, 2);
    const exact = mannWhitneyU(a, b);
    assert.equal(exact.method, 'exact');
    const z = (Math.abs(exact.u - (25 * 25) / 2) - 0.5) / Math.sqrt((25 * 25 * 51) / 12);
    assert.ok(Math.abs(exact.p - 2 * (1 - normalCdf(z))) < 0.005);
  });

  it('normalCdf is accurate', () => {
    assert.ok(Math.abs(normalCdf(1.959963985) - 0.975) < 1e-9);
    assert.ok(Math.abs(normalCdf(-1) - 0.15865525393145707) < 1e-13);
    // Deep in the tail (erfc by continued fraction): Phi(-6) = 9.865876450376946e-10.
    assert.ok(Math.abs(normalCdf(-6) / 9.865876450376946e-10 - 1) < 1e-10);
  });
});

describe('Holm correction', () => {
  it('adjusts p-values step-down and keeps them monotone', () => {
    assert.deepEqual(
      holm([0.01, 0.04, 0.03, 0.005]).map((p) => Math.round(p * 1e6) / 1e6),
      [0.03, 0.06, 0.06, 0.02],
    );
    assert.deepEqual(holm([0.5, 0.9]), [1, 1]);
  });
});

describe('bootstrap interval of the ratio of medians', () => {
  it('is seeded (the same interval every time) and covers the true ratio', () => {
    const a = noisy(100, 4, 30, 3);
    const b = noisy(80, 4, 30, 4);
    const first = bootstrapRatioOfMedians(a, b, { seed: 7 });
    assert.deepEqual(bootstrapRatioOfMedians(a, b, { seed: 7 }), first);
    assert.ok(first.low < 0.8 && 0.8 < first.high && first.high < 0.9, JSON.stringify(first));
  });
});

describe('verdicts by the methodology', () => {
  const base = noisy(100, 3, 20, 11);
  it('KEEP: 20% faster with a tight interval', () => {
    const result = compare(base, noisy(80, 3, 20, 12));
    assert.equal(result.verdict, 'KEEP', result.reason);
    assert.ok(result.deltaPct < -15 && result.ci[1] < -2);
  });
  it('DISCARD: no detectable change', () => {
    assert.equal(compare(base, noisy(100, 3, 20, 13)).verdict, 'DISCARD');
  });
  it('MAYBE: about 3% faster', () => {
    const result = compare(noisy(100, 1, 30, 14), noisy(97, 1, 30, 15));
    assert.equal(result.verdict, 'MAYBE', result.reason);
  });
  it('DISCARD (regression): significantly slower', () => {
    assert.equal(compare(base, noisy(110, 3, 20, 16)).verdict, 'DISCARD (regression)');
  });
  it('DISCARD: a significant slowdown under 2% is not a regression (the methodology\'s "less than 2%")', () => {
    const result = compare(noisy(100, 0.3, 30, 20), noisy(101, 0.3, 30, 21));
    assert.ok(result.p < 0.05 && result.deltaPct > 0.5 && result.deltaPct < 2, `${result.deltaPct}% p ${result.p}`);
    assert.equal(result.verdict, 'DISCARD');
    assert.match(result.reason, /^1\.\d% slower \(p (= .+|< 1e-16)\), under the 2% that counts as a change$/);
  });
  it('NOISY: robust CV at or above 10%, or fewer than 10 runs', () => {
    assert.equal(compare(noisy(100, 60, 20, 17), noisy(80, 60, 20, 18)).verdict, 'NOISY');
    assert.equal(compare(base.slice(0, 5), noisy(80, 3, 5, 19)).verdict, 'NOISY');
  });
  it('noise blocks a verdict only when it could change it: a -90% change on noisy runs is KEEP, and says so', () => {
    // Robust CV near 20% on both sides (a loaded machine), and a tenfold speed-up.
    const before = noisy(100, 40, 20, 22);
    const after = noisy(10, 4, 20, 23);
    const result = compare(before, after);
    assert.ok(result.baseline.robustCv >= 0.1 && result.candidate.robustCv >= 0.1, `${result.baseline.robustCv} ${result.candidate.robustCv}`);
    assert.equal(result.verdict, 'KEEP', result.reason);
    assert.match(result.reason, /^\d+\.\d% faster \(p .+\); the runs were noisy \(robust CV \d+\.\d%, at or above 10%\), but the whole interval \[-\d+\.\d%, -\d+\.\d%\] lies in the range of a KEEP$/);
    const slower = compare(after, before);
    assert.equal(slower.verdict, 'DISCARD (regression)', slower.reason);
    // The same noise around a 20% change: the interval reaches the bar, so NOISY.
    const straddling = compare(noisy(100, 60, 20, 17), noisy(80, 60, 20, 18));
    assert.equal(straddling.verdict, 'NOISY');
    assert.match(straddling.reason, /^robust CV \d+\.\d%, at or above 10%, and the interval \[.+\] reaches from a KEEP to a DISCARD \(regression\): quiet the machine and rerun$/);
  });
  it('noise does not block "no change" when the interval of many noisy runs stays within 2% either way', () => {
    // 4,000 runs a side with a robust CV near 12%: the medians are known to within about 1%.
    const before = noisy(100, 25, 4000, 40);
    const after = noisy(100, 25, 4000, 41);
    const result = compare(before, after, { resamples: 1000 });
    assert.ok(result.baseline.robustCv >= 0.1, `${result.baseline.robustCv}`);
    assert.ok(result.ci[0] > -2 && result.ci[1] < 2, `${result.ci}`);
    assert.equal(result.verdict, 'DISCARD', result.reason);
    assert.match(result.reason, /no change that counts .*lies in the range of a DISCARD$/);
    // A 3% change on the same runs: its interval crosses the 2% line: NOISY, naming the two verdicts.
    const small = compare(before, noisy(97.8, 25, 4000, 42), { resamples: 1000 });
    assert.ok(small.ci[0] < -2 && small.ci[1] > -2, `${small.ci}`);
    assert.equal(small.verdict, 'NOISY', small.reason);
    assert.match(small.reason, /reaches from a MAYBE to a DISCARD/);
  });
  it('sides measured one after the other: a regression too needs the whole interval beyond 5%', () => {
    const before = noisy(100, 3, 10, 30);
    const slightly = noisy(104, 3, 10, 32);
    const interleaved = compare(before, slightly);
    assert.equal(interleaved.verdict, 'DISCARD (regression)', interleaved.reason);
    assert.ok(interleaved.ci[0] < 5, `${interleaved.ci}`);
    const sequential = compare(before, slightly, { sequential: true });
    assert.equal(sequential.verdict, 'DISCARD', sequential.reason);
    assert.match(sequential.reason, /^\d\.\d% slower \(p .+\), but measured one after the other a regression needs the whole interval beyond \+5% \(drift between the sides is not in it\)$/);
    assert.equal(compare(before, noisy(115, 3, 10, 33), { sequential: true }).verdict, 'DISCARD (regression)');
  });
  it('sides measured one after the other: KEEP needs the whole interval beyond 5%, as drift is not in it', () => {
    // 7% faster with an interval reaching to about -3%: KEEP when interleaved, MAYBE when sequential.
    const before = noisy(100, 3, 10, 30);
    const after = noisy(93, 3, 10, 31);
    const interleaved = compare(before, after);
    assert.equal(interleaved.verdict, 'KEEP', interleaved.reason);
    assert.ok(interleaved.ci[1] > -5, `${interleaved.ci}`);
    const sequential = compare(before, after, { sequential: true });
    assert.equal(sequential.verdict, 'MAYBE');
    assert.match(sequential.reason, /measured one after the other, KEEP needs the whole interval beyond 5% \(drift between the sides is not in it\)$/);
    // A real fix clears it anyway.
    assert.equal(compare(before, noisy(50, 2, 10, 32), { sequential: true }).verdict, 'KEEP');
  });
  it('REJECT and KILL come from the run, whatever the numbers', () => {
    assert.equal(compare(base, noisy(80, 3, 20, 12), { correctnessFailed: true }).verdict, 'REJECT');
    assert.equal(compare(base, noisy(80, 3, 20, 12), { budgetRatio: 1.2 }).verdict, 'KILL');
  });
});
