import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { discoverBenchmarks, enclosingFunction, suggestBenchmarks } from '../../../src/core/bench';

const example = path.resolve(__dirname, '../../../../examples/native-core');
const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
const benchFiles = ['cpp/bench/latency_bench.cpp', 'rust/wordfreq/benches/criterion_benches.rs', 'rust/wordfreq/benches/plain_bench.rs'].map((file) => path.join(example, file));
// The benchmarks New Experiment offers, in the order the server lists them (C++ first).
const choices = benchFiles.flatMap((file) => discoverBenchmarks(read(file)!, file).map((benchmark) => ({ file, id: benchmark.id })));
const lineOf = (file: string, needle: string) =>
  read(path.join(example, file))!
    .split('\n')
    .findIndex((line) => line.includes(needle)) + 1;

describe('benchmarks suggested for an idea', () => {
  it('names the function a line is in (Rust, C++)', () => {
    const lib = read(path.join(example, 'rust/wordfreq/src/lib.rs'))!;
    assert.equal(enclosingFunction(lib, lineOf('rust/wordfreq/src/lib.rs', 'pub fn shard_of') + 2), 'shard_of');
    const latency = read(path.join(example, 'cpp/src/latency.cpp'))!;
    assert.match(enclosingFunction(latency, 10) ?? '', /percentile/i);
  });

  it('a shard_of idea gets the shard_of benchmarks first, not the C++ one listed first', () => {
    assert.equal(choices[0]!.file.endsWith('latency_bench.cpp'), true, 'the C++ benchmarks come first unranked');
    const ranked = suggestBenchmarks(choices, [{ file: path.join(example, 'rust/wordfreq/src/lib.rs'), line: lineOf('rust/wordfreq/src/lib.rs', 'pub fn shard_of') }], read, existsSync);
    assert.match(ranked[0]!.benchmark.id, /shard_of/);
    assert.match(ranked[0]!.reason!, /named after shard_of/);
    const cpp = ranked.filter((entry) => entry.benchmark.file.endsWith('.cpp'));
    assert.ok(cpp.length > 0 && cpp.every((entry) => entry.score === 0 && entry.reason === undefined), JSON.stringify(cpp));
  });

  it('a C++ percentile idea gets the C++ benchmarks that call it', () => {
    const ranked = suggestBenchmarks(choices, [{ file: path.join(example, 'cpp/src/latency.cpp'), line: 10 }], read, existsSync);
    assert.ok(ranked[0]!.benchmark.file.endsWith('latency_bench.cpp'), JSON.stringify(ranked[0]));
    assert.ok(ranked.filter((entry) => entry.benchmark.file.endsWith('.rs')).every((entry) => entry.score === 0));
  });
});
