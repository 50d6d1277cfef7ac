/**
 * `npm run bench` (verdicts): how often the methodology's verdicts are wrong on this machine.
 * hyperfine records 2,000 real runs of the example's wordfreq on the light input (the same
 * binary every time), in order; A/A comparisons of 10 runs a side (perfLab.experiments.runsPerSide's
 * default) are drawn from them three ways:
 * - sequential: 10 consecutive runs, then the next 10, as Record Baseline then Run Candidate
 *   take them (judged with `sequential`, as experiments are): 100 disjoint pairs;
 * - interleaved: alternate runs of 20 consecutive ones, as Compare Revisions' rounds take them;
 * - random: 20 runs drawn from anywhere, split in two (what the statistics assume), 200 times.
 * Any KEEP or regression there is a false positive: the methodology wants fewer than 5%. Power:
 * the interleaved pairs and the random draws again with the candidate's runs 5% faster (each
 * recorded time x 0.95, so its noise is the machine's): how often a real 5% change comes out
 * KEEP, or at least MAYBE.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHyperfine } from '../../src/core/bench/tools/hyperfine';
import { compare, CompareOptions, robustCv, seededRandom, Verdict } from '../../src/core/stats';

const core = path.resolve(__dirname, '../../../examples/native-core');
const runsPerSide = 10;

type Tally = Map<Verdict, number>;

function tally(pairs: [number[], number[]][], options: CompareOptions): Tally {
  const counts: Tally = new Map();
  for (const [baseline, candidate] of pairs) {
    const { verdict } = compare(baseline, candidate, options);
    counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  }
  return counts;
}

function share(counts: Tally, total: number, ...verdicts: Verdict[]): string {
  const count = verdicts.reduce((sum, verdict) => sum + (counts.get(verdict) ?? 0), 0);
  return `${((100 * count) / total).toFixed(1)}%`;
}

function breakdown(counts: Tally, total: number): string {
  return ['KEEP', 'MAYBE', 'DISCARD', 'DISCARD (regression)', 'NOISY'].map((verdict) => `${verdict} ${share(counts, total, verdict as Verdict)}`).join(', ');
}

export function runVerdictBench(report: (what: string, value: string, target: string) => void): void {
  const binary = path.join(core, 'rust/target/release/wordfreq');
  if (!existsSync(binary) || !existsSync(path.join(core, 'inputs/light.log'))) {
    report('A/A verdicts on recorded runs', 'skipped', 'run examples/native-core/setup.sh');
    return;
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-aa-'));
  const json = path.join(scratch, 'runs.json');
  const started = performance.now();
  execFileSync('hyperfine', ['-N', '--warmup', '5', '--runs', '2000', '--export-json', json, `${binary} inputs/light.log`], { cwd: core, stdio: 'ignore' });
  const recording = performance.now() - started;
  const runs = parseHyperfine(readFileSync(json, 'utf8'), json)[0]!.samples;
  rmSync(scratch, { recursive: true, force: true });
  report(`recorded ${runs.length} runs of wordfreq inputs/light.log with hyperfine`, `${(recording / 1000).toFixed(0)} s, robust CV ${(robustCv(runs) * 100).toFixed(1)}%`, 'none');

  const sequential: [number[], number[]][] = [];
  const interleaved: [number[], number[]][] = [];
  for (let start = 0; start + 2 * runsPerSide <= runs.length; start += 2 * runsPerSide) {
    const block = runs.slice(start, start + 2 * runsPerSide);
    sequential.push([block.slice(0, runsPerSide), block.slice(runsPerSide)]);
    interleaved.push([block.filter((_, i) => i % 2 === 0), block.filter((_, i) => i % 2 === 1)]);
  }
  const random = seededRandom(0xa0a0);
  const draws: [number[], number[]][] = Array.from({ length: 200 }, () => {
    // 20 distinct runs: a partial Fisher-Yates shuffle of the run indices.
    const order = runs.map((_, i) => i);
    for (let i = 0; i < 2 * runsPerSide; i++) {
      const j = i + Math.floor(random() * (order.length - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const picked = order.slice(0, 2 * runsPerSide).map((i) => runs[i]!);
    return [picked.slice(0, runsPerSide), picked.slice(runsPerSide)];
  });

  const falsePositives = (counts: Tally, total: number) => share(counts, total, 'KEEP', 'DISCARD (regression)');
  for (const [label, pairs, options] of [
    ['sequential (baseline, then candidate)', sequential, { sequential: true }],
    ['interleaved (alternate runs)', interleaved, {}],
    ['random draws', draws, {}],
  ] as const) {
    const counts = tally(pairs, options);
    report(`A/A, ${pairs.length} ${label}, ${runsPerSide} runs a side: KEEP or regression`, falsePositives(counts, pairs.length), '< 5%');
    report(`  verdicts`, breakdown(counts, pairs.length), 'none');
  }
  for (const [label, pairs] of [
    ['interleaved', interleaved],
    ['random draws', draws],
  ] as const) {
    const faster = tally(
      pairs.map(([baseline, candidate]) => [baseline, candidate.map((time) => time * 0.95)]),
      {},
    );
    report(`power: a real 5% change (${label}, candidate x 0.95), ${runsPerSide} runs a side: KEEP`, share(faster, pairs.length, 'KEEP'), 'as high as it gets');
    report(`  KEEP or MAYBE`, share(faster, pairs.length, 'KEEP', 'MAYBE'), 'none');
    report(`  verdicts`, breakdown(faster, pairs.length), 'none');
  }
}
