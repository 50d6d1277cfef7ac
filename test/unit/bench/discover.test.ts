import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { catch2TestSpec, discoverBenchmarks, exactFilter } from '../../../src/core/bench';

const core = path.resolve(__dirname, '../../../../examples/native-core');

describe('benchmark discovery', () => {
  it('finds criterion functions and groups, with their lines', () => {
    const file = path.join(core, 'rust/wordfreq/benches/criterion_benches.rs');
    const lines = readFileSync(file, 'utf8').split('\n');
    const found = discoverBenchmarks(lines.join('\n'), file);
    assert.deepEqual(
      found.map((b) => [b.kind, b.id, b.group ?? false]),
      [
        ['criterion', 'tokenize_line', false],
        ['criterion', 'count_words', true],
        ['criterion', 'shard_of', false],
        ['criterion', 'lcs_len', false],
      ],
    );
    assert.match(lines[found[0]!.line]!, /bench_function\("tokenize_line"/);
  });

  it('finds Google Benchmark registrations and fixtures', () => {
    const file = path.join(core, 'cpp/bench/latency_bench.cpp');
    const found = discoverBenchmarks(readFileSync(file, 'utf8'), file);
    assert.deepEqual(
      found.map((b) => b.id),
      ['BM_Percentile', 'BM_BucketOf', 'EndpointFixture/Record'],
    );
  });

  it('finds libtest #[bench] functions and filters exactly', () => {
    const found = discoverBenchmarks('#[bench]\nfn parse_fast(b: &mut Bencher) {}\n// c.bench_function("commented", f)\n', 'benches/x.rs');
    assert.deepEqual(found, [{ kind: 'libtest', id: 'parse_fast', line: 1 }]);
    assert.equal(exactFilter({ kind: 'criterion', id: 'a.b' }), '^a\\.b$');
    assert.equal(exactFilter({ kind: 'criterion', id: 'count_words', group: true }), '^count_words/');
    assert.equal(exactFilter({ kind: 'google-benchmark', id: 'BM_Percentile' }), '^BM_Percentile(/|$)');
  });

  it('finds divan benchmarks, with or without options over several lines, filtered by their path', () => {
    const source = [
      'fn main() { divan::main(); }',
      '#[divan::bench]',
      'fn shard_of() -> u64 { 1 }',
      '#[divan::bench(',
      '    args = [10, 1000],',
      '    sample_count = 50,',
      ')]',
      'pub fn tokenize(n: usize) {}',
      '#[divan::bench_group]',
      'mod maps {',
      '    #[divan::bench(threads = [1, 2])]',
      '    fn insert() {}',
      '}',
    ].join('\n');
    assert.deepEqual(discoverBenchmarks(source, 'benches/hashing.rs'), [
      { kind: 'divan', id: 'shard_of', line: 2 },
      { kind: 'divan', id: 'tokenize', line: 7 },
      { kind: 'divan', id: 'insert', line: 11 },
    ]);
    const filter = new RegExp(exactFilter({ kind: 'divan', id: 'insert' }));
    assert.deepEqual(
      ['insert', 'maps::insert', 'maps::insert_many', 'reinsert'].map((path) => filter.test(path)),
      [true, true, false, false],
    );
  });

  it('finds Go benchmarks in _test.go files only, filtered exactly', () => {
    const source = [
      'package wordfreq',
      'import "testing"',
      'func BenchmarkShardOf(b *testing.B) {',
      '\tfor i := 0; i < b.N; i++ { ShardOf("word", 64) }',
      '}',
      'func BenchmarkTokenize(bench *testing.B) {}',
      'func TestShardOf(t *testing.T) {}',
      'func helperBenchmark(b *testing.B) {}',
      '// func BenchmarkCommented(b *testing.B) {}',
    ].join('\n');
    const found = discoverBenchmarks(source, 'wordfreq/shard_test.go');
    assert.deepEqual(found, [
      { kind: 'go', id: 'BenchmarkShardOf', line: 2 },
      { kind: 'go', id: 'BenchmarkTokenize', line: 5 },
    ]);
    assert.deepEqual(discoverBenchmarks(source, 'wordfreq/shard.go'), [], 'benchmarks live in test files');
    assert.equal(exactFilter(found[0]!), '^BenchmarkShardOf$');
  });

  it('finds Catch2 benchmarks with the test case that runs them, apart from Google Benchmark', () => {
    const source = [
      '#include <catch2/catch_test_macros.hpp>',
      'TEST_CASE("percentiles", "[!benchmark]") {',
      '    BENCHMARK("percentile of 1000") { return percentile(samples, 0.99); };',
      '    BENCHMARK_ADVANCED("bucket \\"of\\" 64")(Catch::Benchmark::Chronometer meter) {',
      '    };',
      '}',
      'TEST_CASE("endpoints") {',
      '    // BENCHMARK("commented") { return 1; };',
      '    BENCHMARK("record") { return record(); };',
      '}',
      'BENCHMARK(BM_Percentile)->Arg(1000);',
    ].join('\n');
    const found = discoverBenchmarks(source, 'tests/perf.cpp');
    assert.deepEqual(
      found.map((b) => [b.kind, b.id, b.testCase, b.line]),
      [
        ['catch2', 'percentile of 1000', 'percentiles', 2],
        ['catch2', 'bucket \\"of\\" 64', 'percentiles', 3],
        ['catch2', 'record', 'endpoints', 8],
        ['google-benchmark', 'BM_Percentile', undefined, 10],
      ],
    );
  });

  it('escapes the Catch2 test spec of a test case: its name is never an option, a list, a tag or a wildcard (test/native/catch2 runs them)', () => {
    assert.equal(catch2TestSpec('--fast, [not a tag] *path* "q" a\\b'), '\\--fast\\, \\[not a tag\\] \\*path\\* \\"q\\" a\\\\b');
    assert.equal(catch2TestSpec('~other'), '\\~other');
    assert.equal(catch2TestSpec('plain name - with a dash'), 'plain name - with a dash');
  });
});
