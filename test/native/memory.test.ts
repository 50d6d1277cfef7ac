/**
 * Memory profiles of examples/native-core with the real tools: heaptrack, valgrind massif and
 * DHAT record `wordfreq index`, whose deliberate hot spot keeps a copy of the whole line for
 * every word (`index_lines` in lib.rs). Each file Perf Lab reads puts the peak at that line, and
 * the three tools agree on the peak (heaptrack also counts the C++ runtime's emergency pool,
 * allocated before main, which valgrind's tools leave out).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { functionStats, lineStats, loadProfile, mapProfilePaths, Profile, totalWeight } from '../../src/core/profiles';

const core = path.resolve(__dirname, '../../../examples/native-core');
const wordfreq = path.join(core, 'rust/target/release/wordfreq');
const lib = path.join(core, 'rust/wordfreq/src/lib.rs');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-memory-'));
const command = [wordfreq, 'index', path.join(core, 'inputs/typical.log'), 'error'];

/** The 1-based line of lib.rs holding `text` inside index_lines. */
function lineOf(text: string): number {
  const lines = readFileSync(lib, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.includes('pub fn index_lines'));
  const index = lines.findIndex((line, at) => at > start && line.includes(text));
  assert.ok(start >= 0 && index > start, `${text} not found in index_lines`);
  return index + 1;
}

const typeIndex = (profile: Profile, name: string) => profile.sampleTypes.findIndex((type) => type.name === name);

/** What a profile says about the hot spot: the peak, and index_lines' share of it at its line. */
function hotSpot(profile: Profile) {
  const mapped = mapProfilePaths(profile, { workspaceRoots: [core], prefixMap: [] });
  const peak = typeIndex(mapped, 'bytes at peak');
  assert.equal(mapped.defaultSampleType, peak, 'bytes at peak is the default sample type');
  const total = totalWeight(mapped, peak);
  const indexLines = functionStats(mapped, peak).find((stat) => stat.name.endsWith('index_lines'));
  const hottestLine = lineStats(mapped, lib, peak).sort((a, b) => b.total - a.total)[0];
  return { total, share: (indexLines?.total ?? 0) / total, file: indexLines?.file, line: hottestLine?.line };
}

describe('memory profiles of examples/native-core with the real tools', function () {
  this.timeout(240_000);
  let massifPeak = 0;

  before(() => {
    assert.ok(existsSync(wordfreq), `${wordfreq} is missing: run examples/native-core/setup.sh`);
  });

  it('valgrind massif: the peak snapshot puts most bytes at the line copying each line into the index', async () => {
    const file = path.join(scratch, 'massif.out');
    execFileSync('valgrind', ['--tool=massif', '--threshold=0', '--fullpath-after=', `--massif-out-file=${file}`, ...command], { stdio: 'pipe' });
    const profile = await loadProfile(file);
    assert.equal(profile.format, 'massif');
    const spot = hotSpot(profile);
    massifPeak = spot.total;
    assert.ok(spot.total > 5_000_000, `peak ${spot.total} bytes`);
    // The memory-over-time chart: massif's snapshots, its peak snapshot (the tree's) the largest.
    const timeline = profile.timeline!;
    assert.equal(timeline.timeUnit, 'instructions');
    assert.ok(timeline.times.length > 10 && timeline.times.every((time, i) => i === 0 || time >= timeline.times[i - 1]!), 'snapshots in time order');
    assert.equal(timeline.bytes[timeline.peak], Math.max(...timeline.bytes));
    assert.equal(timeline.bytes[timeline.peak], spot.total, 'the peak snapshot holds what its tree does (--threshold=0)');
    assert.ok(spot.share > 0.8, `index_lines holds ${(spot.share * 100).toFixed(1)}% of the peak`);
    assert.equal(spot.file, lib);
    assert.equal(spot.line, lineOf('push(line.to_string())'));
  });

  it('valgrind DHAT: the same peak and line, with allocations, leaks, reads and writes per site', async () => {
    const file = path.join(scratch, 'dhat.out');
    execFileSync('valgrind', ['--tool=dhat', '--fullpath-after=', `--dhat-out-file=${file}`, ...command], { stdio: 'pipe' });
    const profile = await loadProfile(file);
    assert.equal(profile.format, 'dhat');
    assert.deepEqual(
      profile.sampleTypes.map((type) => type.name),
      ['bytes at peak', 'bytes allocated', 'allocations', 'leaked bytes', 'bytes read', 'bytes written'],
    );
    const spot = hotSpot(profile);
    // Both valgrind tools see the same allocations: the same peak to within massif's snapshot timing.
    assert.ok(Math.abs(spot.total - massifPeak) / massifPeak < 0.02, `DHAT ${spot.total} vs massif ${massifPeak}`);
    assert.ok(spot.share > 0.8);
    assert.equal(spot.line, lineOf('push(line.to_string())'));
    const allocations = totalWeight(profile, typeIndex(profile, 'allocations'));
    assert.ok(allocations > 10_000, `${allocations} allocations`);
  });

  it('heaptrack: its .zst file read whole, the peak at the same line, the emergency pool apart', async () => {
    const output = path.join(scratch, 'heaptrack');
    execFileSync('heaptrack', ['-o', output, ...command], { stdio: 'pipe' });
    const file = path.join(
      scratch,
      readdirSync(scratch).find((name) => name.startsWith('heaptrack.'))!,
    );
    const started = performance.now();
    const profile = await loadProfile(file);
    const seconds = (performance.now() - started) / 1000;
    assert.equal(profile.format, 'heaptrack');
    const spot = hotSpot(profile);
    assert.ok(spot.share > 0.8, `index_lines holds ${(spot.share * 100).toFixed(1)}% of the peak`);
    assert.equal(spot.line, lineOf('push(line.to_string())'));
    // heaptrack_print's own totals are the spec: peak, leaked, allocations.
    const printed = execFileSync('heaptrack_print', ['-f', file, '-p', '0', '-a', '0', '-T', '0'], { encoding: 'utf8' });
    const calls = Number(/calls to allocation functions: (\d+)/.exec(printed)![1]);
    assert.equal(totalWeight(profile, typeIndex(profile, 'allocations')), calls);
    const leaked = /total memory leaked: ([\d.]+)(B|K|M)/.exec(printed)!;
    assert.ok(Math.abs(totalWeight(profile, typeIndex(profile, 'leaked bytes')) - Number(leaked[1]) * { B: 1, K: 1000, M: 1e6 }[leaked[2] as 'B' | 'K' | 'M']) < 1000);
    const peak = /peak heap memory consumption: ([\d.]+)(K|M)/.exec(printed)!;
    assert.ok(Math.abs(spot.total / (Number(peak[1]) * (peak[2] === 'M' ? 1e6 : 1e3)) - 1) < 0.005, `peak ${spot.total} vs heaptrack_print's ${peak[0]}`);
    // heaptrack counts the C++ runtime's emergency exception pool (72 KB, allocated before main); valgrind does not.
    assert.ok(spot.total - massifPeak > 0 && spot.total - massifPeak < 200_000, `heaptrack ${spot.total} vs massif ${massifPeak}`);
    // Over time: heaptrack_print -M writes the heap at each timestamp; Perf Lab keeps, per timestamp,
    // the most held since the one before, so it is at least that and its top is the peak itself.
    const massifFile = path.join(scratch, 'massif.out.heaptrack');
    execFileSync('heaptrack_print', ['-f', file, '-M', massifFile], { stdio: 'pipe' });
    const theirs = (await loadProfile(massifFile)).timeline!;
    const ours = profile.timeline!;
    assert.equal(ours.timeUnit, 'ms');
    assert.equal(ours.bytes[ours.peak], spot.total, 'the chart peaks at the flame graph’s bytes at peak');
    assert.ok(Math.max(...theirs.bytes) <= spot.total);
    for (let i = 0; i < theirs.times.length - 1; i++) {
      const at = ours.times.indexOf(Math.round(theirs.times[i]!));
      assert.ok(at >= 0, `heaptrack_print's snapshot at ${theirs.times[i]} ms is a point of Perf Lab's too (${ours.times.join(', ')})`);
      assert.ok(ours.bytes[at]! >= theirs.bytes[i]!, `at ${theirs.times[i]} ms: ${ours.bytes[at]} < heaptrack_print's ${theirs.bytes[i]}`);
    }
    assert.equal(ours.bytes[ours.bytes.length - 1], totalWeight(profile, typeIndex(profile, 'leaked bytes')), 'it ends with what was left at exit');
    console.log(`      heaptrack file of ${(readFileSync(file).length / 1024).toFixed(0)} KB read in ${seconds.toFixed(2)} s`);
  });
});
