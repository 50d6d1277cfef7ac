/** Latency quantiles and their changes: numpy's interpolation, the bootstrap over counts, a tail-only change found. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/cli';
import { compareQuantiles, quantile, quantileLabel, quantilesFromCounts, seededRandom } from '../../../src/core/stats';

describe('latency quantiles', () => {
  it('interpolates between ranks as numpy.quantile does by default', () => {
    const ten = Array.from({ length: 10 }, (_, i) => i + 1);
    // numpy.quantile(range(1, 11), [0.5, 0.9, 0.99, 0.999]) = 5.5, 9.1, 9.91, 9.991
    assert.deepEqual(
      [0.5, 0.9, 0.99, 0.999].map((q) => Number(quantile(ten, q).toFixed(6))),
      [5.5, 9.1, 9.91, 9.991],
    );
    assert.deepEqual([quantileLabel(0.5), quantileLabel(0.99), quantileLabel(0.999)], ['P50', 'P99', 'P99.9']);
  });

  it('reads the quantiles of a resample from its counts as the expanded, sorted resample gives them', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 40);
      // Ties and gaps: values on a coarse grid.
      const sorted = Array.from({ length: n }, () => Math.floor(random() * 8)).sort((a, b) => a - b);
      const counts = new Int32Array(n);
      for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]!++;
      const expanded = sorted.flatMap((value, i) => Array<number>(counts[i]!).fill(value));
      // Two quantiles can share a rank (0.5 and 0.501 in a short sample): the walk steps back.
      const qs = [0, 0.25, 0.5, 0.501, 0.9, 0.99, 0.999, 1];
      const out = new Float64Array(qs.length);
      quantilesFromCounts(sorted, counts, qs, out);
      qs.forEach((q, k) => assert.ok(Math.abs(out[k]! - quantile(expanded, q)) < 1e-9, `n ${n}, q ${q}: ${out[k]} vs ${quantile(expanded, q)}`));
    }
  });

  it('finds a tail that doubled while the median held, with intervals that say which is which', () => {
    const random = seededRandom(11);
    // Latencies around 1 ms (log-normal-ish); the candidate's slowest 3% take three times as long.
    const draw = () => Math.exp(Math.log(1e6) + 0.25 * (random() + random() + random() - 1.5));
    const baseline = Array.from({ length: 20_000 }, draw);
    const candidate = Array.from({ length: 20_000 }, draw)
      .sort((a, b) => a - b)
      .map((value, i, all) => (i >= all.length * 0.97 ? value * 3 : value));
    const [p50, p90, p99, p999] = compareQuantiles(baseline, candidate, { resamples: 500 });
    assert.ok(p50!.ci[0] < 0 && p50!.ci[1] > 0 && Math.abs(p50!.deltaPct) < 2, `P50 ${p50!.deltaPct} [${p50!.ci}]`);
    assert.ok(p90!.ci[0] < 0 && p90!.ci[1] > 0, `P90 ${p90!.deltaPct} [${p90!.ci}]`);
    assert.ok(p99!.ci[0] > 150 && p99!.deltaPct > 170, `P99 ${p99!.deltaPct} [${p99!.ci}]`);
    assert.ok(p999!.ci[0] > 100, `P99.9 ${p999!.deltaPct} [${p999!.ci}]`);
    assert.equal(p99!.quantile, 0.99);
  });

  it('a uniform slowdown moves every quantile by it, inside each interval', () => {
    const random = seededRandom(12);
    const baseline = Array.from({ length: 5000 }, () => 1e6 * (1 + random()));
    const candidate = baseline.map((value) => value * 1.2);
    for (const change of compareQuantiles(baseline, candidate, { resamples: 500 })) {
      assert.ok(Math.abs(change.deltaPct - 20) < 1e-9, `${change.quantile}: ${change.deltaPct}`);
      assert.ok(change.ci[0] < 20 && change.ci[1] > 20, `${change.quantile}: [${change.ci}]`);
    }
  });

  it('perf-lab latency compares plain latency files and hyperfine runs; a bad line is named', async () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-latency-'));
    const random = seededRandom(5);
    const write = (name: string, text: string) => {
      const file = path.join(scratch, name);
      writeFileSync(file, text);
      return file;
    };
    // 2,000 requests a side in mixed units; the candidate's slowest 5% twice as slow.
    const lines = (slowTail: boolean) =>
      Array.from({ length: 2000 }, (_, i) => {
        const ms = 1 + random() * 0.2 + (slowTail && i % 20 === 0 ? 1.5 : 0);
        return i % 2 ? `${(ms * 1000).toFixed(1)}us` : `${ms.toFixed(4)} ms`;
      }).join('\n');
    const before = write('before.txt', `# wrk2 latencies\n${lines(false)}\n`);
    const after = write('after.txt', lines(true));
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text) });
      return { code, out, err };
    };
    const table = await run('latency', before, after);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /^2000 baseline and 2000 candidate latencies\nquantile +baseline +candidate +change +95% interval\nP50 /);
    const p99 = /^P99 +([\d.]+ ms) +([\d.]+ ms) +\+(\d+\.\d\d)% +\[\+[\d.]+%, \+[\d.]+%\]$/m.exec(table.out);
    assert.ok(p99 && Number(p99[3]) > 80, table.out);
    const json = JSON.parse((await run('latency', before, after, '--json', '--quantiles', '50,99')).out);
    assert.deepEqual(
      json.quantiles.map((change: { quantile: number }) => change.quantile),
      [0.5, 0.99],
    );
    const bad = write('bad.txt', '1.0 ms\nabout 2 ms\n');
    const failed = await run('latency', before, bad);
    assert.equal(failed.code, 1);
    assert.equal(failed.err, `perf-lab: ${bad}:2: "about 2 ms" is not a latency (a number and a unit such as ms)\n`);
    assert.match((await run('latency', before, write('bare.txt', '1.5\n'))).err, /bare\.txt:1: a latency without a unit/);
    assert.equal((await run('latency', before, write('bare2.txt', '1.5\n1.6\n'), '--unit', 'ms')).code, 0);
    const hyperfine = write(
      'runs.json',
      JSON.stringify({
        results: [
          { command: 'a', times: [0.001, 0.0011] },
          { command: 'b', times: [0.002, 0.0021] },
        ],
      }),
    );
    assert.match((await run('latency', hyperfine, hyperfine)).err, /2 commands \("a", "b"\): name one/);
    assert.match((await run('latency', hyperfine, hyperfine, '--name', 'b')).out, /^2 baseline and 2 candidate latencies/);
  });
});
