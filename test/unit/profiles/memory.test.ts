/**
 * The memory profile readers on small files of each tool's format, where every figure can be
 * worked out by hand (test/native/memory.test.ts reads what the real tools write).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/cli';
import { addFlameDiff, diffProfiles, flameTreeResult, foldedStacks, importProfileBytes, ProfileError, totalWeight } from '../../../src/core/profiles';
import { timelineForChart } from '../../../src/core/profiles/timeline';

const bytes = (text: string) => Buffer.from(text);
const type = (profile: ReturnType<typeof importProfileBytes>, name: string) => profile.sampleTypes.findIndex((sampleType) => sampleType.name === name);

/** heaptrack format 3: main -> grow (two sites of 100 and 50 bytes) and main -> scratch (a 10-byte site). */
const heaptrackHead = [
  'v 10400 3',
  'X ./app',
  's 3 app',
  's 4 main',
  's 6 main.c',
  's 4 grow',
  's 7 scratch',
  'i 1000 1 2 3 a', // ip 1: main at main.c:10
  'i 1010 1 4 3 14', // ip 2: grow at main.c:20
  'i 1020 1 5 3 1e', // ip 3: scratch at main.c:30
  't 1 0', // trace 1: main
  't 2 1', // trace 2: main -> grow
  't 3 1', // trace 3: main -> scratch
  'a 64 2', // site 0: 100 bytes from grow
  'a 32 2', // site 1: 50 bytes from grow
  'a a 3', // site 2: 10 bytes from scratch
];

describe('memory profile readers', () => {
  it("heaptrack: bytes at peak are each stack's bytes when the heap was largest, not at the end", () => {
    const events = ['+ 0', '+ 0', '+ 1', '- 0', '+ 2', '- 2', '- 0', '+ 1', 'c 10'];
    // Live: 100, 200, 250 (the peak: 200 + 50), 150, 160, 150, 50, 100. Site 2 was freed right away.
    const profile = importProfileBytes(bytes([...heaptrackHead, ...events, ''].join('\n')), 'heaptrack.app.1');
    assert.equal(profile.format, 'heaptrack');
    assert.equal(profile.sampleTypes[profile.defaultSampleType]!.name, 'bytes at peak');
    assert.deepEqual(Object.fromEntries(foldedStacks(profile)), { 'main;grow': 250 });
    assert.deepEqual(Object.fromEntries(foldedStacks(profile, type(profile, 'leaked bytes'))), { 'main;grow': 100 });
    assert.deepEqual(Object.fromEntries(foldedStacks(profile, type(profile, 'allocations'))), { 'main;grow': 4, 'main;scratch': 1 });
    assert.deepEqual(Object.fromEntries(foldedStacks(profile, type(profile, 'temporary allocations'))), { 'main;scratch': 1 });
    assert.equal(totalWeight(profile, type(profile, 'bytes allocated')), 310);
  });

  it('the flame tree of a heap profile weighs by any of its sample types, bytes at peak unless asked', () => {
    const events = ['+ 0', '+ 0', '+ 1', '- 0', '+ 2', '- 2', '- 0', '+ 1', ''];
    const profile = importProfileBytes(bytes([...heaptrackHead, ...events].join('\n')), 'heaptrack.app.4');
    const byPeak = flameTreeResult(profile, 'p', 'p', { width: 1000 });
    assert.equal(byPeak.sampleType, 'bytes at peak (bytes)');
    assert.equal(byPeak.total, 250);
    assert.deepEqual(byPeak.sampleTypes, ['bytes at peak (bytes)', 'leaked bytes (bytes)', 'allocations', 'temporary allocations', 'bytes allocated (bytes)']);
    const byAllocations = flameTreeResult(profile, 'p', 'p', { width: 1000, sampleType: 2 });
    assert.equal(byAllocations.sampleType, 'allocations');
    assert.equal(byAllocations.total, 5);
    assert.deepEqual(
      byAllocations.tree.children[0]!.children.map((child) => [child.name, child.value]),
      [
        ['grow', 4],
        ['scratch', 1],
      ],
    );
    assert.equal(flameTreeResult(profile, 'p', 'p', { width: 1000, sampleType: 9 }).sampleTypeIndex, 0, 'an index the profile lacks is its default');
  });

  it('heaptrack: the heap over time is the most it held between timestamps, the peak marked, ending with what was left', () => {
    // Live: 100, 200, 250 | 16 ms | 150, 160, 150, 50 | 32 ms | 100, 50 at exit.
    const events = ['c 0', '+ 0', '+ 0', '+ 1', 'c 10', '- 0', '+ 2', '- 2', '- 0', 'c 20', '+ 1', '- 1', ''];
    const profile = importProfileBytes(bytes([...heaptrackHead, ...events].join('\n')), 'heaptrack.app.5');
    // heaptrack_print -M would say 250 at 16 ms and 50 at 32 ms: the 160 between is no moment it samples.
    assert.deepEqual(profile.timeline, { timeUnit: 'ms', times: [0, 16, 32, 32, 32], bytes: [0, 250, 160, 100, 50], peak: 1 });
    const chart = flameTreeResult(profile, 'p', 'p', { width: 1000 }).timeline!;
    assert.equal(chart.bytes[chart.peak], totalWeight(profile), 'the marked peak is the flame graph of bytes at peak');
    assert.equal(chart.peakSampleType, profile.defaultSampleType);
  });

  it('a long memory timeline is cut to the chart width by the largest of each stretch, the peak kept', () => {
    const times = Array.from({ length: 10_000 }, (_, i) => i);
    const heap = times.map((i) => (i % 100) * 10); // a sawtooth up to 990
    heap[7777] = 5000;
    heap[7778] = 4999; // in the same stretch as the peak, and larger than the rest of it
    const cut = timelineForChart({ timeUnit: 'ms', times, bytes: heap, peak: 7777 }, 100);
    assert.equal(cut.times.length, 100);
    assert.equal(cut.bytes[cut.peak], 5000);
    assert.equal(cut.times[cut.peak], 7777);
    assert.ok(
      cut.bytes.every((value, i) => i === cut.peak || value === 990),
      'each other stretch shows its top, not an average',
    );
  });

  it('two heap profiles compare as they are (no scaling to one total): where the bytes at peak went, and the allocations', async () => {
    // Before: grow holds 250 bytes at the peak. After: grow 100 at the peak, scratch 10.
    const beforeEvents = ['+ 0', '+ 0', '+ 1', '- 0', '+ 2', '- 2', '- 0', '+ 1', ''];
    const afterEvents = ['+ 0', '+ 2', '- 0', '+ 0', ''];
    const before = importProfileBytes(bytes([...heaptrackHead, ...beforeEvents].join('\n')), 'heaptrack.before');
    const after = importProfileBytes(bytes([...heaptrackHead, ...afterEvents].join('\n')), 'heaptrack.after');
    const tree = addFlameDiff(flameTreeResult(after, 'after', 'after', { width: 1000 }), after, before, { baselineId: 'before', baselineTitle: 'before' });
    assert.equal(tree.diff!.normalized, false, 'scaling 250 to 110 would hide the fix');
    const main = tree.tree.children[0]!;
    const delta = Object.fromEntries(main.children.map((child) => [child.name, child.delta]));
    assert.deepEqual(delta, { grow: -150, scratch: 10 });
    assert.equal(tree.tree.delta, 110 - 250);
    // Weighed by allocations, the baseline is read by allocations too (5 before; 3 after).
    const byAllocations = addFlameDiff(flameTreeResult(after, 'after', 'after', { width: 1000, sampleType: 2 }), after, before, { baselineId: 'before', baselineTitle: 'before' });
    assert.equal(byAllocations.tree.delta, 3 - 5);
    // The per-function diff (perf-lab profile diff) does the same, and says so.
    assert.equal(diffProfiles(before, after).normalized, false);
    const scratchFolder = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-heap-diff-'));
    const files = [
      ['heaptrack.before', beforeEvents],
      ['heaptrack.after', afterEvents],
    ].map(([name, events]) => {
      const file = path.join(scratchFolder, name as string);
      writeFileSync(file, [...heaptrackHead, ...(events as string[])].join('\n'));
      return file;
    });
    let out = '';
    assert.equal(await runCli(['profile', 'diff', ...files, '--sample-type', 'allocations', '--json'], { out: (text) => (out += text), err: () => undefined }), 0);
    const cliDiff = JSON.parse(out);
    assert.deepEqual([cliDiff.totalBefore, cliDiff.totalAfter, cliDiff.normalized], [5, 3, false]);
    assert.equal(cliDiff.functions.find((f: { name: string }) => f.name === 'grow').totalDelta, 2 - 4);
  });

  it('heaptrack: a site freed right after another free is no temporary allocation (heaptrack_print counts one for site 0: it resets to index 0)', () => {
    const profile = importProfileBytes(bytes([...heaptrackHead, '+ 1', '+ 0', '- 1', '- 0', ''].join('\n')), 'heaptrack.app.2');
    assert.equal(totalWeight(profile, type(profile, 'temporary allocations')), 0);
  });

  it('heaptrack: an event naming a site the file has not defined is an error naming the line', () => {
    assert.throws(
      () => importProfileBytes(bytes([...heaptrackHead, '+ 7', ''].join('\n')), 'heaptrack.app.3'),
      (error: unknown) => error instanceof ProfileError && error.message === 'heaptrack.app.3:17: refers to allocation site 7, which the file has not defined',
    );
    assert.throws(() => importProfileBytes(bytes(['v 10400 2', 's 3 app', 'a 1 0', ''].join('\n')), 'heaptrack.old'), /heaptrack.old:1: heaptrack file format 2, which Perf Lab does not read/);
  });

  it("massif: the peak snapshot's tree as stacks, inlined frames by their shared address, the rest below the threshold", () => {
    const massif = [
      'desc: --threshold=1',
      'cmd: ./app',
      'time_unit: i',
      '#-----------',
      'snapshot=0',
      '#-----------',
      'time=10',
      'mem_heap_B=900',
      'mem_heap_extra_B=0',
      'mem_stacks_B=0',
      'heap_tree=detailed',
      'n1: 900 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.',
      ' n0: 900 0x1000: early (main.c:5)',
      '#-----------',
      'snapshot=1',
      '#-----------',
      'time=20',
      'mem_heap_B=1000',
      'mem_heap_extra_B=16',
      'mem_stacks_B=0',
      'heap_tree=peak',
      'n3: 1000 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.',
      ' n1: 600 0x2000: push (vec.h:12)',
      '  n1: 600 0x2000: grow (main.c:20)',
      '   n0: 600 0x3000: main (main.c:40)',
      ' n1: 300 0x4000: make (main.c:30)',
      '  n0: 200 0x3010: main (main.c:41)',
      " n0: 100 in 4 places, all below massif's threshold (1.00%)",
      '',
    ].join('\n');
    const profile = importProfileBytes(bytes(massif), 'massif.out.1');
    assert.equal(profile.format, 'massif');
    // make's own 100 bytes: its callers were below the threshold.
    assert.deepEqual(Object.fromEntries(foldedStacks(profile)), { 'main;grow;push': 600, 'main;make': 200, make: 100, '[4 places below the threshold]': 100 });
    const push = profile.frames.find((frame) => profile.functions[frame.func]!.name === 'push' && frame.inlineDepth);
    assert.ok(push, 'push shares grow’s address: inlined into it');
    assert.deepEqual(profile.timeline, { timeUnit: 'instructions', times: [10, 20], bytes: [900, 1000], peak: 1 });
  });

  it("massif: heaptrack_print -M's file (the header after the snapshots, times in seconds) reads as a timeline in ms", () => {
    const snapshot = (n: number, time: string, heap: number, tree: string) => [
      '#-----------',
      `snapshot=${n}`,
      '#-----------',
      `time=${time}`,
      `mem_heap_B=${heap}`,
      'mem_heap_extra_B=0',
      'mem_stacks_B=0',
      `heap_tree=${tree}`,
    ];
    const file = [
      ...snapshot(0, '0.025', 1000, 'detailed'),
      'n1: 1000 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.',
      ' n0: 1000 0x1000: main (main.c:5)',
      ...snapshot(1, '0.295', 3000, 'empty'),
      ...snapshot(2, '0.3', 2000, 'detailed'),
      'n1: 2000 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.',
      ' n0: 2000 0x1000: main (main.c:5)',
      'desc: heaptrack',
      'cmd: ./app',
      'time_unit: s',
      '',
    ].join('\n');
    const profile = importProfileBytes(bytes(file), 'massif.heaptrack');
    assert.equal(profile.format, 'massif');
    assert.deepEqual(profile.timeline, { timeUnit: 'ms', times: [25, 295, 300], bytes: [1000, 3000, 2000], peak: 2 }, 'the peak marked is the largest snapshot with a tree');
    assert.equal(totalWeight(profile), 2000);
  });

  it('massif: a tree line that does not parse is an error naming the line', () => {
    assert.throws(() => importProfileBytes(bytes('desc: x\ncmd: y\ntime_unit: i\nsnapshot=0\nheap_tree=peak\nn1: lots\n'), 'massif.bad'), /massif.bad:6: an allocation tree line that is not/);
  });

  it('DHAT: other versions and modes are named, not misread', () => {
    assert.throws(() => importProfileBytes(bytes('{"dhatFileVersion":1,"mode":"heap","pps":[],"ftbl":[]}'), 'dhat.old'), /dhat.old: DHAT file version 1, which Perf Lab does not read/);
    assert.throws(() => importProfileBytes(bytes('{"dhatFileVersion":2,"mode":"copy","pps":[],"ftbl":[]}'), 'dhat.copy'), /a DHAT "copy" profile: Perf Lab reads heap profiles/);
    const profile = importProfileBytes(
      bytes('{"dhatFileVersion":2,"mode":"heap","pps":[{"tb":64,"tbk":2,"gb":32,"eb":0,"rb":10,"wb":64,"fs":[1,2]}],"ftbl":["[root]","0x10: malloc (in /vg.so)","0x20: main (main.c:3)"]}'),
      'dhat.out.1',
    );
    assert.deepEqual(Object.fromEntries(foldedStacks(profile)), { 'main;malloc': 32 });
    assert.equal(totalWeight(profile, type(profile, 'allocations')), 2);
  });
});
