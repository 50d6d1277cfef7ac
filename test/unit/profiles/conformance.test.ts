/**
 * Every profile under ../shared/conformance/profiles imports (or, where invalid on purpose, fails
 * with a clear error), and totals agree with speedscope's snapshots where the weight means the
 * same thing in both programs: folded, callgrind, pprof, speedscope JSON. For `perf script`
 * speedscope weighs by time between samples, so sample counts and frame names are compared.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { functionStats, loadProfile, Profile, ProfileError, totalWeight } from '../../../src/core/profiles';
import { indexOf, foldedStacks, prunedTree } from '../../../src/core/profiles/views';
import { conformance, readSnapshots, SnapshotFrame, speedscopeSamples } from './speedscopeSnapshots';

function allFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    return statSync(file).isDirectory() ? allFiles(file) : [file];
  });
}

/** Our per-function self/total for the frames speedscope lists, within an optional root frame. */
function compareFrames(profile: Profile, expected: SnapshotFrame[], options: { sampleType?: number; matchFile?: boolean; root?: string; scale?: number } = {}) {
  const scale = options.scale ?? 1;
  let stats = functionStats(profile, options.sampleType);
  if (options.root) {
    // Several profiles in one file: weights of one profile are those under its root frame.
    const sub = subProfile(profile, options.root);
    stats = functionStats(sub, options.sampleType);
  }
  for (const frame of expected) {
    const ours = stats.filter((stat) => stat.name === frame.name && (!options.matchFile || stat.file === frame.file));
    assert.equal(ours.length, 1, `${frame.name} (${frame.file}) not found once in ${profile.source}`);
    assert.ok(Math.abs(ours[0]!.self * scale - frame.selfWeight) < 1e-6, `${frame.name} self: ours ${ours[0]!.self}, speedscope ${frame.selfWeight}`);
    assert.ok(Math.abs(ours[0]!.total * scale - frame.totalWeight) < 1e-6, `${frame.name} total: ours ${ours[0]!.total}, speedscope ${frame.totalWeight}`);
  }
}

/** The part of a profile under the root frame named `root`, as a profile of its own. */
function subProfile(profile: Profile, root: string): Profile {
  const keep = new Int32Array(profile.stackParent.length).fill(-2);
  const parents: number[] = [];
  const frames: number[] = [];
  const weights = profile.weights.map(() => [] as number[]);
  for (let i = 0; i < profile.stackParent.length; i++) {
    const parent = profile.stackParent[i]!;
    const name = profile.functions[profile.frames[profile.stackFrame[i]!]!.func]!.name;
    if (parent < 0) {
      keep[i] = name === root ? -1 : -2;
      continue;
    }
    if (keep[parent] === -2) continue;
    keep[i] = parents.length;
    parents.push(keep[parent]!);
    frames.push(profile.stackFrame[i]!);
    profile.weights.forEach((w, t) => weights[t]!.push(w[i]!));
  }
  return { ...profile, stackParent: Int32Array.from(parents), stackFrame: Int32Array.from(frames), weights: weights.map((w) => Float64Array.from(w)) };
}

describe('conformance profiles', () => {
  const files = allFiles(conformance).filter((file) => !file.includes(`${path.sep}expected${path.sep}`) && !/LICENSE/.test(file));

  it('finds the conformance files', () => {
    assert.ok(files.length >= 30, `only ${files.length} files under ${conformance}`);
  });

  for (const file of allFiles(conformance).filter((f) => !f.includes(`${path.sep}expected${path.sep}`) && !/LICENSE/.test(f))) {
    const name = path.relative(conformance, file);
    const invalid = name.includes(`${path.sep}invalid${path.sep}`);
    it(`${invalid ? 'rejects' : 'imports'} ${name}`, async () => {
      if (invalid) {
        await assert.rejects(loadProfile(file), (error: unknown) => error instanceof ProfileError && error.message.startsWith(file));
        return;
      }
      const profile = await loadProfile(file);
      assert.ok(profile.samples > 0, 'no samples');
      assert.ok(totalWeight(profile) > 0, 'no weight');
      assert.ok(functionStats(profile).length > 0);
      // The flame-graph view of it can be built.
      assert.ok(prunedTree(profile, { width: 1200 }).total > 0);
    });
  }
});

describe('agreement with speedscope', () => {
  it('folded stacks: simple, CRLF, UTF-16 LE and BE, invalid lines', async () => {
    const snapshots = readSnapshots('bg-flamegraph.test.ts.snap');
    const cases: [string, string][] = [
      ['importFromBGFlameGraph 1', 'simple.txt'],
      ['importFromBGFlameGraph with CRLF 1', 'simple-crlf.txt'],
      ['importFromBGFlameGraph with UTF-16, Big Endian 1', 'simple-utf16-be.txt'],
      ['importFromBGFlameGraph with UTF-16, Little Endian 1', 'simple-utf16-le.txt'],
      ['importFromBGFlameGraph with invalid lines 1', 'simple-with-invalids.txt'],
    ];
    for (const [title, file] of cases) {
      const profile = await loadProfile(path.join(speedscopeSamples, 'stackcollapse', file));
      compareFrames(profile, snapshots.get(title)!.frames);
    }
    const invalids = await loadProfile(path.join(speedscopeSamples, 'stackcollapse/simple-with-invalids.txt'));
    assert.equal(invalids.diagnostics.skippedLines, 3, invalids.diagnostics.warnings.join('\n'));
    assert.match(invalids.diagnostics.warnings[0]!, /^line 1: /);
  });

  it('callgrind: example, cfn reset, name and subposition compression, several event types', async () => {
    const snapshots = readSnapshots('callgrind.test.ts.snap');
    // speedscope converts the event "Time_(10ns)" to nanoseconds; Perf Lab keeps callgrind's
    // own counts (the unit is in the event name), hence the scale of 10 for that one.
    const cases: [string, string, number, number][] = [
      ['importFromCallgrind 1', 'callgrind.example.log', 0, 1],
      ['importFromCallgrind name compression 1', 'callgrind.name-compression.log', 0, 1],
      ['importFromCallgrind subposition compression 1', 'callgrind.subposition-compression.log', 0, 1],
      ['importFromCallgrind multiple event types 1', 'callgrind.multiple-event-types.log', 0, 10],
      ['importFromCallgrind multiple event types 2', 'callgrind.multiple-event-types.log', 1, 1],
    ];
    for (const [title, file, sampleType, scale] of cases) {
      const profile = await loadProfile(path.join(speedscopeSamples, 'callgrind', file));
      compareFrames(profile, snapshots.get(title)!.frames, { sampleType, matchFile: true, scale });
    }
    // cfn reset: its calls claim 20 into gamma (10 from alpha, 10 from delta) while gamma's own
    // cost lines hold 10. speedscope adds up the calls (gamma self 20); Perf Lab deliberately keeps
    // each function's self cost to its own lines, so the total is the sum of the file's cost lines (40), and
    // gamma's 10 is shared between its two callers.
    const reset = await loadProfile(path.join(speedscopeSamples, 'callgrind/callgrind.cfn-reset.log'));
    const resetFrames = snapshots.get('importFromCallgrind cfn reset 1')!.frames;
    compareFrames(
      reset,
      resetFrames.filter((frame) => frame.name === 'beta'),
      { matchFile: true },
    );
    const ours = Object.fromEntries(functionStats(reset).map((stat) => [stat.name, [stat.self, stat.total]]));
    assert.deepEqual(ours, { alpha: [10, 40], beta: [10, 10], gamma: [10, 10], delta: [10, 15] });
    assert.equal(totalWeight(reset), 40);
    const multiple = await loadProfile(path.join(speedscopeSamples, 'callgrind/callgrind.multiple-event-types.log'));
    assert.deepEqual(
      multiple.sampleTypes.map((type) => type.name),
      ['Time_(10ns)', 'Memory_(bytes)'],
    );
  });

  it('pprof: functions, files and weights of the default sample type', async () => {
    const snapshot = readSnapshots('pprof.test.ts.snap').get('importAsPprofProfile 1')!;
    const profile = await loadProfile(path.join(speedscopeSamples, 'pprof/simple.prof'));
    assert.equal(profile.sampleTypes[profile.defaultSampleType]!.name, 'cpu');
    compareFrames(profile, snapshot.frames, { matchFile: true });
  });

  it('speedscope JSON: evented, sampled, and two profiles in one file', async () => {
    const snapshots = readSnapshots('file-format.test.ts.snap');
    const one = async (file: string, title: string) => compareFrames(await loadProfile(path.join(speedscopeSamples, 'speedscope', file)), snapshots.get(title)!.frames);
    await one('0.0.1/simple.speedscope.json', 'importSpeedscopeProfiles 0.0.1 evented profile 1');
    await one('0.0.1/simple-no-pretty-print.speedscope.json', 'importSpeedscopeProfiles 0.0.1 evented profile (no pretty print) 1');
    await one('0.1.2/simple-sampled.speedscope.json', 'importSpeedscopeProfiles 0.1.2 sampled profile 1');
    const two = await loadProfile(path.join(speedscopeSamples, 'speedscope/0.6.0/two-sampled.speedscope.json'));
    compareFrames(two, snapshots.get('importSpeedscopeProfiles 0.6.0 multiple profiles 1')!.frames, { root: 'one' });
    compareFrames(two, snapshots.get('importSpeedscopeProfiles 0.6.0 multiple profiles 2')!.frames, { root: 'two' });
  });

  it('speedscope JSON: invalid traces are rejected with a reason', async () => {
    await assert.rejects(loadProfile(path.join(speedscopeSamples, 'speedscope/invalid/incomplete-trace.json')), /still open \(an incomplete trace\)/);
    await assert.rejects(loadProfile(path.join(speedscopeSamples, 'speedscope/invalid/out-of-order-events.json')), /leaves frame "B" while "A" is at the top, at 4/);
  });

  it('Chrome .cpuprofile: time per function as speedscope computes it', async () => {
    const snapshot = readSnapshots('chrome.test.ts.snap').get('importFromChromeCPUProfile 1')!;
    const profile = await loadProfile(path.join(speedscopeSamples, 'Chrome/65/simple.cpuprofile'));
    assert.equal(profile.sampleTypes[profile.defaultSampleType]!.name, 'time');
    compareFrames(profile, snapshot.frames);
    // positionTicks put d's time on the lines that ran.
    const lines = profile.frames.filter((frame) => profile.functions[frame.func]!.name === 'd').map((frame) => frame.line);
    assert.ok(lines.length > 1, `d has only lines ${lines.join(', ')}`);
  });

  it('Node .cpuprofile (the older nested format): the same functions speedscope finds', async () => {
    const snapshot = readSnapshots('chrome.test.ts.snap').get('importFromV8Profiler Node 10 1')!;
    const profile = await loadProfile(path.join(speedscopeSamples, 'node/10.11.0/example.cpuprofile'));
    const names = new Set(functionStats(profile).map((stat) => stat.name));
    for (const frame of snapshot.frames) assert.ok(names.has(frame.name), `${frame.name} missing`);
  });

  it('perf script: the samples and frame names speedscope finds, mangled names demangled', async () => {
    const snapshots = readSnapshots('linux-tools-perf.test.ts.snap');
    const files = ['forks', 'one-sample', 'simple', 'simple-with-header', 'simple-with-pid', 'system-wide', 'rust-mangled'];
    for (const file of files) {
      const profile = await loadProfile(path.join(speedscopeSamples, `linux-perf/${file}.linux-perf.txt`));
      const raw = new Set(profile.functions.map((info) => info.rawName ?? info.name));
      const expected = [...snapshots].filter(([title]) => title.startsWith(`importFromLinuxPerf ${file}.linux-perf.txt `) && !title.includes('chunked'));
      for (const [, snapshot] of expected) {
        for (const frame of snapshot.frames) {
          if (frame.name.startsWith('???')) continue; // speedscope's name for [unknown]
          assert.ok(raw.has(frame.name), `${file}: ${frame.name} missing`);
        }
      }
    }
    // One sample per header line (a line that is not indented, blank or a comment).
    const simple = path.join(speedscopeSamples, 'linux-perf/simple.linux-perf.txt');
    const headers = readFileSync(simple, 'utf8')
      .split('\n')
      .filter((line) => line && !/^[\s#]/.test(line)).length;
    assert.equal((await loadProfile(simple)).samples, headers);
    const rust = await loadProfile(path.join(speedscopeSamples, 'linux-perf/rust-mangled.linux-perf.txt'));
    const names = rust.functions.map((info) => info.name);
    assert.ok(names.includes('trace::multiply_matrices'), names.join('\n'));
    assert.ok(names.includes('<alloc::vec::Vec<f64> as core::ops::index::Index<usize>>::index'));
    assert.ok(names.includes('std::rt::lang_start::<()>'));
  });

  it("FlameGraph's example capture: 710 unique stacks and 1,315 samples", async () => {
    const profile = await loadProfile(path.join(conformance, 'flamegraph/example-perf-stacks.txt.gz'));
    assert.equal(profile.samples, 1315);
    assert.equal(totalWeight(profile), 1315);
    assert.equal(foldedStacks(profile).size, 710);
    const processes = new Set<string>();
    for (let c = indexOf(profile).childStart[0]!; c < indexOf(profile).childStart[1]!; c++) {
      processes.add(profile.functions[profile.frames[profile.stackFrame[indexOf(profile).childList[c]!]!]!.func]!.name);
    }
    assert.deepEqual([...processes].sort(), ['gmain', 'java', 'ksoftirqd/3', 'perf', 'swapper', 'wrk']);
  });
});
