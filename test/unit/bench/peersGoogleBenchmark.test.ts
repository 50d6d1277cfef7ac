/**
 * Google Benchmark's compare.py unit tests (../shared/conformance/peers/google-benchmark, google/
 * benchmark 267a111): its inputs and, in expected.json, the real_time changes and U-test p-values
 * those tests assert, to 4 and 7 places. Perf Lab compares the same files through the core that
 * `perf-lab compare` uses. Deliberate differences, each checked below:
 *   - BM_DifferentTimeUnit (1 s against 1 ns) is compared after converting units; compare.py
 *     leaves it out of its report.
 *   - On small tied samples Perf Lab's p is exact (the distribution given the ties, as benchstat
 *     computes it); compare.py uses SciPy's normal approximation there. The approximation is
 *     checked to reproduce compare.py's value, and the exact p against enumeration in stats.test.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BenchOutput, compareSuites, parseBenchText } from '../../../src/core/bench';
import { mannWhitneyU } from '../../../src/core/stats';

const peers = path.resolve(__dirname, '../../../../../shared/conformance/peers/google-benchmark');

interface Side {
  file: string;
  filter?: string;
  replacement?: string;
  repeat?: number;
}
interface Case {
  id: string;
  base: Side;
  cand: Side;
  expect: { name: string; time?: number; time_pvalue?: number; reps: [number, number] }[];
  not_reported_by_gbench?: string[];
  geomean_time?: number;
}

const expected = JSON.parse(readFileSync(path.join(peers, 'expected.json'), 'utf8')) as { cases: Case[] };

/** A side as compare.py's test builds it: filtered and renamed by a regular expression, or its first benchmark repeated. */
function load(side: Side): BenchOutput {
  const file = path.join(peers, 'Inputs', side.file);
  let text = readFileSync(file, 'utf8');
  if (side.filter !== undefined || side.repeat !== undefined) {
    const document = JSON.parse(text) as { benchmarks: { name: string; run_name?: string }[] };
    if (side.filter !== undefined) {
      const pattern = new RegExp(side.filter);
      document.benchmarks = document.benchmarks
        .filter((entry) => pattern.test(entry.name))
        .map((entry) => ({ ...entry, name: entry.name.replace(pattern, side.replacement!), ...(entry.run_name ? { run_name: entry.run_name.replace(pattern, side.replacement!) } : {}) }));
    }
    if (side.repeat !== undefined) document.benchmarks = Array.from({ length: side.repeat }, () => document.benchmarks[0]!);
    text = JSON.stringify(document);
  }
  return parseBenchText(text, file);
}

const only = (output: BenchOutput, name: string): BenchOutput => ({ ...output, benchmarks: output.benchmarks.filter((result) => result.name === name) });

describe("Google Benchmark's compare.py tests (peers/google-benchmark)", () => {
  it('has its five cases', () => assert.equal(expected.cases.length, 5));

  for (const testCase of expected.cases) {
    it(`${testCase.id}: the changes and p-values compare.py asserts`, () => {
      const base = load(testCase.base);
      const cand = load(testCase.cand);
      const suite = compareSuites(base, cand);
      for (const expectation of testCase.expect) {
        const ours = suite.benchmarks.find((result) => result.name === expectation.name);
        assert.ok(ours, `${expectation.name} is not compared (ours: ${suite.benchmarks.map((result) => result.name).join(', ')})`);
        assert.deepEqual([ours.baseline.n, ours.candidate.n], expectation.reps, `${expectation.name}: repetitions`);
        if (expectation.time !== undefined) {
          assert.ok(Math.abs(ours.deltaPct / 100 - expectation.time) < 5e-5, `${expectation.name}: ${ours.deltaPct / 100} vs ${expectation.time}`);
        }
        if (expectation.time_pvalue !== undefined) {
          // compare.py's p is the raw p of one benchmark; Perf Lab's suite p is Holm-adjusted.
          const alone = compareSuites(only(base, expectation.name), only(cand, expectation.name)).benchmarks[0]!;
          const [before, after] = [only(base, expectation.name).benchmarks[0]!.samples, only(cand, expectation.name).benchmarks[0]!.samples];
          const tiedAndSmall = new Set([...before, ...after]).size < before.length + after.length && before.length <= 25 && after.length <= 25;
          if (tiedAndSmall) {
            assert.ok(Math.abs(mannWhitneyU(before, after, { method: 'normal' }).p - expectation.time_pvalue) < 5e-8, `${expectation.name}: SciPy's approximation`);
            assert.equal(alone.p, mannWhitneyU(before, after, { method: 'exact' }).p, `${expectation.name}: exact with ties`);
          } else {
            assert.ok(Math.abs(alone.p! - expectation.time_pvalue) < 5e-8, `${expectation.name}: p ${alone.p} vs ${expectation.time_pvalue}`);
          }
        }
      }
      const unreported = new Set(testCase.not_reported_by_gbench ?? []);
      for (const name of unreported) {
        // Converted to one unit (1 s against 1 ns): a change of -99.9999999%.
        const ours = suite.benchmarks.find((result) => result.name === name)!;
        assert.ok(Math.abs(ours.deltaPct - (1e-9 - 1) * 100) < 1e-6, `${name}: ${ours.deltaPct}`);
      }
      if (testCase.geomean_time !== undefined) {
        // compare.py's geometric mean covers every timed benchmark in seconds, BM_DifferentTimeUnit
        // included (only its per-benchmark line is left out), as Perf Lab's does.
        assert.ok(Math.abs(suite.geomeanDeltaPct / 100 - testCase.geomean_time) < 5e-5, `geomean ${suite.geomeanDeltaPct / 100} vs ${testCase.geomean_time}`);
      }
    });
  }

  it('a file written with --benchmark_report_aggregates_only is a benchmark per aggregate', () => {
    const aggregatesOnly = (mean: number) =>
      JSON.stringify({
        context: { date: '2026-12-01', num_cpus: 2 },
        benchmarks: ['mean', 'median', 'stddev'].map((aggregate) => ({
          name: `BM_Parse_${aggregate}`,
          run_name: 'BM_Parse',
          run_type: 'aggregate',
          aggregate_name: aggregate,
          repetitions: 10,
          iterations: 10,
          real_time: aggregate === 'stddev' ? mean / 50 : mean,
          cpu_time: aggregate === 'stddev' ? mean / 50 : mean,
          time_unit: 'us',
        })),
      });
    const suite = compareSuites(parseBenchText(aggregatesOnly(200), 'base.json'), parseBenchText(aggregatesOnly(150), 'cand.json'));
    assert.deepEqual(
      suite.benchmarks.map((result) => result.name),
      ['BM_Parse_mean', 'BM_Parse_median', 'BM_Parse_stddev'],
    );
    for (const result of suite.benchmarks) assert.ok(Math.abs(result.deltaPct + 25) < 1e-9, `${result.name} ${result.deltaPct}`);
  });
});
