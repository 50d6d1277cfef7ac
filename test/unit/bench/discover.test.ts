import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { discoverBenchmarks, exactFilter } from '../../../src/core/bench';

const core = path.resolve(__dirname, '../../../../examples/native-core');

describe('benchmark discovery', () => {
  it('finds criterion functions and groups, with their lines', () => {
    const file = path.join(core, 'rust/wordfreq/benches/criterion_benches.rs');
    const lines = readFileSync(file, 'utf8').split('\n');
    const found = discoverBenchmarks(lines.join('\n'), file);
    assert.deepEqual(found.map((b) => [b.kind, b.id, b.group ?? false]), [
      ['criterion', 'tokenize_line', false],
      ['criterion', 'count_words', true],
      ['criterion', 'shard_of', false],
      ['criterion', 'lcs_len', false],
    ]);
    assert.match(lines[found[0]!.line]!, /bench_function\("tokenize_line"/);
  });

  it('finds Google Benchmark registrations and fixtures', () => {
    const file = path.join(core, 'cpp/bench/latency_bench.cpp');
    const found = discoverBenchmarks(readFileSync(file, 'utf8'), file);
    assert.deepEqual(found.map((b) => b.id), ['BM_Percentile', 'BM_BucketOf', 'EndpointFixture/Record']);
  });

  it('finds libtest #[bench] functions and filters exactly', () => {
    const found = discoverBenchmarks('#[bench]\nfn parse_fast(b: &mut Bencher) {}\n// c.bench_function("commented", f)\n', 'benches/x.rs');
    assert.deepEqual(found, [{ kind: 'libtest', id: 'parse_fast', line: 1 }]);
    assert.equal(exactFilter({ kind: 'criterion', id: 'a.b' }), '^a\\.b$');
    assert.equal(exactFilter({ kind: 'criterion', id: 'count_words', group: true }), '^count_words/');
    assert.equal(exactFilter({ kind: 'google-benchmark', id: 'BM_Percentile' }), '^BM_Percentile(/|$)');
  });
});
