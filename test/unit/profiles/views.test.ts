import * as assert from 'node:assert/strict';
import { callersAndCallees, diffProfiles, functionStats, importProfileBytes, lineOwner, lineStats, Profile, ProfileBuilder } from '../../../src/core/profiles';
import { countNodes, prunedTree } from '../../../src/core/profiles/views';

const folded = (text: string, name = 'test.folded'): Profile => importProfileBytes(Buffer.from(text), name);

describe('profile views', () => {
  it('gives a line to the function whose code it is: the caller for its own lines, an inlined callee for its body', () => {
    // decompress (defined at line 20) calls read_length (defined at 5, inlined into it at line 30).
    const b = new ProfileBuilder('perf-script', 'lz4.perf.txt', [{ name: 'samples', unit: 'count' }]);
    const decompress = b.functionId('decompress', '/src/lz4.c');
    const readLength = b.functionId('read_length', '/src/lz4.c');
    const main = b.child(-1, b.frameId(b.functionId('main', '/src/main.c'), 3));
    const ownLine = b.child(main, b.frameId(decompress, 31));
    b.addWeight(ownLine, 0, 6);
    const callSite = b.child(main, b.frameId(decompress, 30));
    b.addWeight(b.child(callSite, b.frameId(readLength, 7, undefined, 1)), 0, 4);
    const profile = b.build();
    assert.deepEqual(lineOwner(profile, '/src/lz4.c', 31), { func: decompress, inlined: false });
    assert.deepEqual(lineOwner(profile, '/src/lz4.c', 7), { func: readLength, inlined: true });
    assert.deepEqual(lineOwner(profile, '/src/lz4.c', 30), { func: decompress, inlined: false });
    assert.equal(lineOwner(profile, '/src/lz4.c', 12), undefined);
    const stats = new Map(functionStats(profile).map((stat) => [stat.name, stat]));
    assert.equal(stats.get('read_length')!.inlined, true, 'it never ran as a call of its own');
    assert.equal(stats.get('decompress')!.inlined, undefined);
  });

  it('counts a recursive function once per stack in its total', () => {
    const profile = folded('main;a;b;a;b 3\nmain;a 1\nmain;c 2\n');
    const byName = new Map(functionStats(profile).map((stat) => [stat.name, stat]));
    assert.deepEqual([byName.get('a')!.self, byName.get('a')!.total], [1, 4]);
    assert.deepEqual([byName.get('b')!.self, byName.get('b')!.total], [3, 3]);
    assert.equal(byName.get('main')!.total, 6);
    assert.deepEqual(
      functionStats(profile).map((stat) => stat.name),
      ['b', 'c', 'a', 'main'],
      'sorted by self, then total',
    );
  });

  it('gives callers and callees with the weight through each edge', () => {
    const profile = folded('main;parse;alloc 5\nmain;render;alloc 3\nmain;parse 2\n');
    const alloc = functionStats(profile).find((stat) => stat.name === 'alloc')!.func;
    const { callers, callees } = callersAndCallees(profile, alloc);
    assert.deepEqual(
      callers.map((c) => [c.name, c.weight]),
      [
        ['parse', 5],
        ['render', 3],
      ],
    );
    assert.deepEqual(callees, []);
    const parse = functionStats(profile).find((stat) => stat.name === 'parse')!.func;
    assert.deepEqual(
      callersAndCallees(profile, parse).callees.map((c) => [c.name, c.weight]),
      [['alloc', 5]],
    );
  });

  it('aggregates self and total per source line, recursion counted once', () => {
    const text = [
      'app 1/1 [000] 1.000000: 1 cpu-clock:',
      '\t10 inner (/bin/app)',
      '  lib.rs:20',
      '\t20 outer (/bin/app)',
      '  lib.rs:10',
      '\t30 outer (/bin/app)',
      '  lib.rs:10',
      '',
      'app 1/1 [000] 1.000001: 1 cpu-clock:',
      '\t40 outer (/bin/app)',
      '  lib.rs:11',
      '',
    ].join('\n');
    const profile = importProfileBytes(Buffer.from(text), 'srcline.perf');
    assert.deepEqual(
      lineStats(profile, 'lib.rs').map(({ line, self, total }) => [line, self, total]),
      [
        [10, 0, 1],
        [11, 1, 1],
        [20, 1, 1],
      ],
    );
    assert.deepEqual(lineStats(profile, 'other.rs'), []);
  });

  it('keeps frames apart that differ only in their source line or, when kept, their address', () => {
    const sample = (address: string, line: number) => ['app 1/1 [000] 1.0: 1 cpu-clock:', `\t${address} hot (/bin/app)`, `  lib.rs:${line}`, '\t99 main (/bin/app)', '  main.rs:3', ''];
    // Consecutive samples share their outer frames; the leaf must still be told apart.
    const text = [...sample('10', 20), ...sample('10', 21), ...sample('10', 21)].join('\n');
    const profile = importProfileBytes(Buffer.from(text), 'srcline.perf');
    assert.deepEqual(
      lineStats(profile, 'lib.rs').map(({ line, self }) => [line, self]),
      [
        [20, 1],
        [21, 2],
      ],
    );
    const noLines = ['app 1/1 [000] 1.0: 1 cpu-clock:', '\t10 hot (/bin/app)', '', 'app 1/1 [000] 1.0: 1 cpu-clock:', '\t18 hot (/bin/app)', ''].join('\n');
    const addresses = importProfileBytes(Buffer.from(noLines), 'addresses.perf', { keepAddresses: true });
    assert.deepEqual(
      addresses.frames.map((frame) => frame.address).filter((address) => address !== undefined),
      [0x10, 0x18],
    );
    assert.equal(importProfileBytes(Buffer.from(noLines), 'plain.perf').frames.length, 2, 'the process root and one frame for hot');
  });

  it('prunes the tree to what the flame graph can draw and zooms into a subtree', () => {
    const lines = ['main;hot 1000'];
    for (let i = 0; i < 500; i++) lines.push(`main;cold${i} 1`);
    const profile = folded(lines.join('\n'));
    const wide = prunedTree(profile, { width: 2000, minWidth: 1 });
    const narrow = prunedTree(profile, { width: 100, minWidth: 1 });
    assert.equal(wide.total, 1500);
    assert.ok(countNodes(narrow) < countNodes(wide));
    const main = narrow.children[0]!;
    assert.deepEqual(
      main.children.map((c) => c.name),
      ['hot'],
    );
    assert.equal(main.hidden, 500, 'what is too narrow to draw is reported, not lost');
    const zoomed = prunedTree(profile, { width: 100, root: main.id });
    assert.equal(zoomed.name, 'main');
    assert.equal(zoomed.total, 1500);
  });

  it('diffs two profiles per function and stack, normalised by totals', () => {
    const before = folded('main;parse 60\nmain;render 40\n');
    const after = folded('main;parse 60\nmain;render 140\n'); // twice as long a recording
    const diff = diffProfiles(before, after);
    assert.equal(diff.scale, 2);
    const render = diff.functions.find((f) => f.name === 'render')!;
    assert.deepEqual([render.selfA, render.selfB, render.selfDelta], [80, 140, 60]);
    const parse = diff.functions.find((f) => f.name === 'parse')!;
    assert.equal(parse.selfDelta, -60, 'parse got relatively cheaper');
    assert.deepEqual(
      diff.stacks.find((s) => s.stack === 'main;render'),
      { stack: 'main;render', a: 80, b: 140, delta: 60 },
    );
    const raw = diffProfiles(before, after, { normalize: false });
    assert.equal(raw.functions.find((f) => f.name === 'render')!.selfDelta, 100);
  });
});
