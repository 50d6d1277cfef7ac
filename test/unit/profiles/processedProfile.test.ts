/**
 * Firefox Profiler processed profiles as samply writes them: both layouts (tables per thread,
 * and the newer tables shared by all threads), gzip, and broken files. The symbolization of
 * samply's unsymbolicated frames is tested against a real binary in symbolize.test.ts.
 */
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { importProfileBytes, ProfileError } from '../../../src/core/profiles';
import { foldedStacks, functionStats } from '../../../src/core/profiles/views';
import { FrameSpec, processedTables } from './processedTables';

const meta = { version: 24, preprocessedProfileVersion: 49, interval: 1, startTime: 0, product: 'wordfreq', categories: [{ name: 'Other', color: 'grey', subcategories: ['Other'] }] };
const libs = [{ name: 'wordfreq', path: '/nowhere/wordfreq', debugName: 'wordfreq', debugPath: '/nowhere/wordfreq', breakpadId: '0', codeId: null, arch: 'x86_64' }];

const main: FrameSpec = { name: 'main', file: 'src/main.rs', line: 4 };
const analyze: FrameSpec = { name: 'wordfreq::analyze', file: 'src/lib.rs', line: 150 };
const shardOf: FrameSpec = { name: 'wordfreq::shard_of', file: 'src/lib.rs', line: 112 };

describe('Firefox Profiler processed profiles (samply)', () => {
  it('reads tables kept in each thread, one root per thread, weights and samples without a stack', () => {
    const worker = processedTables([{ frames: [main, analyze, shardOf], weight: 3 }, { frames: [main, analyze] }, { frames: [] }]);
    const second = processedTables([{ frames: [main, analyze, shardOf], weight: 2 }]);
    worker.samples.stack[2] = null; // idle
    const profile = {
      meta,
      libs: [],
      threads: [
        { name: 'wordfreq', processName: 'wordfreq', pid: '10', tid: 10, samples: worker.samples, ...worker.tables, stringArray: worker.strings },
        { name: 'worker-1', processName: 'wordfreq', pid: '10', tid: 11, samples: second.samples, ...second.tables, stringArray: second.strings },
      ],
    };
    const imported = importProfileBytes(Buffer.from(JSON.stringify(profile)), 'profile.json');
    assert.equal(imported.format, 'processed-profile');
    assert.equal(imported.samples, 4);
    assert.deepEqual(Object.fromEntries(foldedStacks(imported)), {
      wordfreq: 1,
      'wordfreq;main;wordfreq::analyze': 1,
      'wordfreq;main;wordfreq::analyze;wordfreq::shard_of': 3,
      'worker-1;main;wordfreq::analyze;wordfreq::shard_of': 2,
    });
    const shard = functionStats(imported).find((stat) => stat.name === 'wordfreq::shard_of')!;
    assert.deepEqual([shard.self, shard.file, shard.line], [5, 'src/lib.rs', 112]);
  });

  it('reads the newer layout with tables shared by all threads, gzipped (profile.json.gz)', () => {
    const shared = processedTables([
      { frames: [main, analyze, shardOf], weight: 7 },
      { frames: [main, analyze], weight: 1 },
    ]);
    const profile = {
      meta,
      libs,
      threads: [{ name: 'wordfreq', pid: '10', tid: 10, samples: shared.samples }],
      shared: { ...shared.tables, stringArray: shared.strings },
    };
    const imported = importProfileBytes(gzipSync(JSON.stringify(profile)), 'profile.json.gz');
    assert.equal(imported.samples, 2);
    assert.equal(functionStats(imported)[0]!.name, 'wordfreq::shard_of');
    assert.equal(functionStats(imported)[0]!.self, 7);
  });

  it('keeps unsymbolicated frames as their addresses, with their library, when the binary is elsewhere', () => {
    const shared = processedTables([
      {
        frames: [
          { name: '0x1a2b', lib: 0, address: 0x1a2b },
          { name: '0x1c00', lib: 0, address: 0x1c00 },
        ],
      },
    ]);
    const profile = { meta, libs, threads: [{ name: 'wordfreq', samples: shared.samples }], shared: { ...shared.tables, stringArray: shared.strings } };
    const imported = importProfileBytes(Buffer.from(JSON.stringify(profile)), 'profile.json');
    const leaf = imported.functions.find((info) => info.name === '0x1c00')!;
    assert.equal(leaf.module, '/nowhere/wordfreq');
    assert.deepEqual(
      imported.frames.filter((frame) => frame.address !== undefined).map((frame) => frame.address),
      [0x1a2b, 0x1c00],
    );
  });

  it('reads a 10,000-frame recursion without running out of stack', () => {
    const deep = Array.from({ length: 10_000 }, (_, depth) => (depth === 0 ? main : { name: 'wordfreq::lcs_len', file: 'src/lib.rs', line: 120 + (depth % 3) }));
    const tables = processedTables([{ frames: deep }]);
    const profile = { meta, libs: [], threads: [{ name: 'deep', samples: tables.samples, ...tables.tables, stringArray: tables.strings }] };
    const imported = importProfileBytes(Buffer.from(JSON.stringify(profile)), 'deep.json');
    assert.equal(functionStats(imported).find((stat) => stat.name === 'wordfreq::lcs_len')!.total, 1, 'recursion counted once per stack');
  });

  it('names the file and what is broken', () => {
    const good = processedTables([{ frames: [main, analyze] }]);
    const load = (mutate: (profile: { meta: object; threads: Record<string, unknown>[] }) => void) => {
      const copy = JSON.parse(JSON.stringify({ meta, threads: [{ name: 'wordfreq', samples: good.samples, ...good.tables, stringArray: good.strings }] }));
      mutate(copy);
      return () => importProfileBytes(Buffer.from(JSON.stringify(copy)), 'broken.json');
    };
    const fails = (mutate: Parameters<typeof load>[0], message: RegExp) =>
      assert.throws(load(mutate), (error: unknown) => error instanceof ProfileError && error.file === 'broken.json' && message.test(error.reason), message.source);
    fails((p) => ((p.threads[0]!.samples as { stack: number[] }).stack[0] = 99), /thread 0 \(wordfreq\): stack 99 does not exist/);
    fails((p) => ((p.threads[0]!.stackTable as { prefix: number[] }).prefix[1] = 1), /stack 1 has a broken prefix chain/);
    fails((p) => ((p.threads[0]!.funcTable as { name: number[] }).name[0] = 500), /function 0's name refers to string 500, which is not there/);
    fails((p) => delete p.threads[0]!.stringArray, /no string array/);
    fails((p) => ((p.threads[0]!.stackTable as { frame: number[] }).frame[0] = 42), /a stack refers to frame 42, which does not exist/);
    fails((p) => ((p.threads[0]!.samples as { weightType: string }).weightType = 'watts'), /weight type "watts"/);
    fails((p) => (p.threads = []), /without threads/);
  });
});
