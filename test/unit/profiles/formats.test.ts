/**
 * Format detection on the shapes other tools write that Perf Lab once misread: perf script
 * without call graphs, pprof's legacy text, zip archives, Chrome heap profiles, hexadecimal
 * "counts", and units written into callgrind event names.
 */
import * as assert from 'node:assert/strict';
import { functionStats, importProfileBytes, ProfileError, sampleTypeLabel, totalWeight } from '../../../src/core/profiles';
import { foldedStacks } from '../../../src/core/profiles/views';

const bytes = (text: string) => Buffer.from(text);

describe('profile formats other tools write', () => {
  it('perf script recorded without call graphs (the frame on the header line) is perf script', () => {
    const text = [
      'wordfreq 4242 [000] 100.000001:     250000 cpu-clock:          55d1a0 wordfreq::shard_of+0x12 (/bin/wordfreq)',
      'wordfreq 4242 [000] 100.000251:     250000 cpu-clock:          55d1b0 wordfreq::shard_of+0x22 (/bin/wordfreq)',
      'wordfreq 4242 [000] 100.000501:     250000 cpu-clock:          55e000 main+0x10 (/bin/wordfreq)',
      '',
    ].join('\n');
    const profile = importProfileBytes(bytes(text), 'no-callgraph.txt');
    assert.equal(profile.format, 'perf-script');
    assert.deepEqual(Object.fromEntries(foldedStacks(profile)), { 'wordfreq;wordfreq::shard_of': 500000, 'wordfreq;main': 250000 });
  });

  it("pprof's legacy text profiles get a clear error, not absurd folded totals", () => {
    const text = '--- contention ---\ncycles/second = 3000000000\nsampling period = 100\n  3500 10 @ 0x461e0 0x4f3c1 0x42ed5f\n';
    assert.throws(
      () => importProfileBytes(bytes(text), 'contention.txt'),
      (error: unknown) => error instanceof ProfileError && /legacy pprof text profile/.test(error.message) && error.message.startsWith('contention.txt:1:'),
    );
    const heap = 'heap profile:   10:  4096 [   20:  8192] @ heapprofile\n   1:   512 [   2:  1024] @ 0x4a2b 0x4c11\n';
    assert.throws(() => importProfileBytes(bytes(heap), 'heap.txt'), /legacy pprof text profile/);
  });

  it('a hexadecimal number is not a sample count, and a zip archive is not pprof', () => {
    const profile = importProfileBytes(bytes('main;a 3\nmain;b 0x461e0\nmain;c 2\n'), 'hex.folded');
    assert.equal(totalWeight(profile), 5);
    assert.match(profile.diagnostics.warnings.join('\n'), /line 2: "0x461e0" is not a sample count/);
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(60, 1)]);
    assert.throws(() => importProfileBytes(zip, 'profiles.zip'), /a zip archive, not a profile/);
  });

  it('Chrome .heapprofile: bytes by allocation stack (the default) and sampled allocations', () => {
    const frame = (functionName: string, lineNumber: number) => ({ functionName, url: 'file:///app/server.js', lineNumber, columnNumber: 1, scriptId: '1' });
    const document = {
      head: {
        callFrame: frame('(root)', -1),
        selfSize: 0,
        id: 1,
        children: [
          {
            callFrame: frame('handle', 9),
            selfSize: 1024,
            id: 2,
            children: [{ callFrame: frame('parse', 19), selfSize: 4096, id: 3, children: [] }],
          },
        ],
      },
      samples: [
        { size: 1024, nodeId: 2, ordinal: 1 },
        { size: 2048, nodeId: 3, ordinal: 2 },
        { size: 2048, nodeId: 3, ordinal: 3 },
      ],
    };
    const profile = importProfileBytes(bytes(JSON.stringify(document)), 'app.heapprofile');
    assert.equal(profile.format, 'heapprofile');
    assert.equal(sampleTypeLabel(profile.sampleTypes[profile.defaultSampleType]!), 'bytes');
    assert.equal(totalWeight(profile), 5120);
    assert.equal(totalWeight(profile, 1), 3);
    const parse = functionStats(profile).find((stat) => stat.name === 'parse')!;
    assert.deepEqual([parse.self, parse.file], [4096, 'file:///app/server.js']);
    assert.deepEqual(Object.fromEntries(foldedStacks(profile)), { handle: 1024, 'handle;parse': 4096 });
  });

  it('callgrind events that name their unit keep it: Time_(10ns) reads as 10 nanoseconds', () => {
    const text = '# callgrind format\nevents: Time_(10ns) Memory_(bytes) Ir\nfn=main\n1 5 100 7\n';
    const profile = importProfileBytes(bytes(text), 'xdebug.callgrind');
    assert.deepEqual(
      profile.sampleTypes.map((type) => [type.name, type.unit, sampleTypeLabel(type)]),
      [
        ['Time_(10ns)', '10 nanoseconds', 'Time_(10ns)'],
        ['Memory_(bytes)', 'bytes', 'Memory_(bytes)'],
        ['Ir', 'count', 'Ir'],
      ],
    );
    assert.equal(sampleTypeLabel({ name: 'cpu-clock', unit: 'nanoseconds' }), 'cpu-clock (nanoseconds)');
  });
});

/** Protobuf by hand: just what a pprof Profile needs (varints and length-delimited fields). */
function varint(value: bigint): number[] {
  const out: number[] = [];
  let rest = BigInt.asUintN(64, value);
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest ? low | 0x80 : low);
  } while (rest);
  return out;
}
const field = (number: number, payload: number[]) => [...varint(BigInt((number << 3) | 2)), ...varint(BigInt(payload.length)), ...payload];
const number = (number: number, value: bigint) => [...varint(BigInt(number << 3)), ...varint(value)];

function pprof(sampleValues: bigint[][]): Buffer {
  const strings = ['', 'alloc_space', 'bytes', 'main'].map((text) => field(6, [...Buffer.from(text)]));
  return Buffer.from([
    ...field(1, [...number(1, 1n), ...number(2, 2n)]), // sample_type alloc_space/bytes
    ...sampleValues.flatMap((values) => field(2, [...number(1, 1n), ...values.flatMap((value) => number(2, value))])),
    ...field(4, [...number(1, 1n), ...field(4, [...number(1, 1n), ...number(2, 7n)])]), // location 1 -> function 1 line 7
    ...field(5, [...number(1, 1n), ...number(2, 3n)]), // function 1 "main"
    ...strings.flat(),
  ]);
}

describe('pprof values', () => {
  it('reads int64 values as signed (a -1 is -1, not 18446744073709552000)', () => {
    const profile = importProfileBytes(pprof([[100n], [-1n]]), 'signed.pb');
    assert.equal(totalWeight(profile), 99);
  });

  it('a sample with more values than sample types is an error naming the sample, not a TypeError', () => {
    assert.throws(
      () => importProfileBytes(pprof([[1n], [1n, 2n]]), 'extra.pb'),
      (error: unknown) => error instanceof ProfileError && error.message === 'extra.pb: sample 2 has 2 values for 1 sample types',
    );
  });
});
