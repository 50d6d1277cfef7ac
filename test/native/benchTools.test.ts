/**
 * The benchmark tool adapters with the real tools: the command line each builds runs in /bin/sh
 * (as Perf Lab's tasks do) and its results are read back through the adapter. criterion, Google
 * Benchmark and hyperfine on examples/native-core; libtest `#[bench]` on a small crate (nightly's
 * test crate, through RUSTC_BOOTSTRAP on stable Rust); `go test -bench` on a small Go package
 * (Debian's golang-go, installed by scripts/setup.sh). divan is not here: it is neither on
 * crates.io offline nor in Debian (test/unit/bench/tools.test.ts checks its command line).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BenchCommand, benchCommandFor, BenchmarkRef, BenchRunContext, commandBenchmarks, discoverBenchmarks } from '../../src/core/bench';

const core = path.resolve(__dirname, '../../../examples/native-core');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-bench-tools-'));

/** Executables named `stem` under `folder`, as the extension finds them (files with an execute bit). */
function executableUnder(folder: string, stem: string): string | undefined {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory() && entry.name !== 'CMakeFiles') {
      const found = executableUnder(file, stem);
      if (found) return found;
    } else if (entry.name === stem && (statSync(file).mode & 0o111) !== 0) return file;
  }
  return undefined;
}

function context(file: string, args: string[], overrides: Partial<BenchRunContext> = {}): BenchRunContext {
  return {
    file,
    root: core,
    revision: false,
    purpose: 'measure',
    args,
    commands: [],
    resultsFile: (extension) => path.join(scratch, `${path.basename(file)}.${extension}`),
    findExecutable: async (stem) => executableUnder(path.join(core, 'build'), stem),
    ...overrides,
  };
}

/** The benchmark `id` as discovery finds it in `file`. */
function discovered(file: string, id: string, text?: string): BenchmarkRef {
  const found = discoverBenchmarks(text ?? readFileSync(file, 'utf8'), file).find((candidate) => candidate.id === id);
  assert.ok(found, `no benchmark ${id} found in ${file}`);
  return found;
}

function run(command: BenchCommand, env: NodeJS.ProcessEnv = {}): string {
  if (command.build) execFileSync('/bin/sh', ['-c', command.build], { cwd: command.cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
  return execFileSync('/bin/sh', ['-c', command.line], { cwd: command.cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
}

describe('benchmark tool adapters with the real tools', () => {
  it('criterion: one benchmark of the example run by its command line, its samples read from target/criterion', async () => {
    const file = path.join(core, 'rust/wordfreq/benches/criterion_benches.rs');
    const command = await benchCommandFor(discovered(file, 'shard_of'), context(file, ['--warm-up-time', '1', '--measurement-time', '1', '--sample-size', '10', '--noplot']));
    const printed = run(command);
    assert.doesNotMatch(printed, /tokenize_line|lcs_len/, 'the filter selects shard_of alone');
    const [result, ...others] = command.results().benchmarks;
    assert.equal(others.length, 0);
    assert.equal(result!.name, 'shard_of');
    assert.equal(result!.samples.length, 10);
    assert.ok(result!.samples.every((value) => value > 0 && value < 1e6));
  });

  it('Google Benchmark: the executable built from latency_bench.cpp, one benchmark with its ->Arg variants, repetitions as samples', async () => {
    const file = path.join(core, 'cpp/bench/latency_bench.cpp');
    const command = await benchCommandFor(discovered(file, 'BM_BucketOf'), context(file, ['--benchmark_repetitions=3', '--benchmark_min_time=0.01']));
    run(command);
    assert.deepEqual(
      command.results().benchmarks.map((result) => [result.name, result.samples.length]),
      [
        ['BM_BucketOf/8', 3],
        ['BM_BucketOf/64', 3],
      ],
    );
  });

  it("hyperfine: the example's perfLab.commands entry, its results named by the command and its parameter", async () => {
    const { commands } = commandBenchmarks([{ name: 'wordfreq', command: 'rust/target/release/wordfreq inputs/{input}.log', parameters: { input: ['light', 'typical'] }, runs: 2, warmup: 0 }]);
    const command = await benchCommandFor({ kind: 'hyperfine', id: 'wordfreq' }, context(path.join(core, '.vscode/settings.json'), [], { commands }));
    run(command);
    assert.deepEqual(
      command.results().benchmarks.map((result) => [result.name, result.samples.length]),
      [
        ['wordfreq input=light', 2],
        ['wordfreq input=typical', 2],
      ],
    );
  });

  it('libtest: a #[bench] function run alone by name, a neighbour whose name contains it left out of the results', async function () {
    this.timeout(180_000);
    const crate = path.join(scratch, 'micro');
    mkdirSync(path.join(crate, 'benches'), { recursive: true });
    mkdirSync(path.join(crate, 'src'));
    writeFileSync(path.join(crate, 'Cargo.toml'), '[package]\nname = "micro"\nversion = "0.1.0"\nedition = "2021"\n\n[[bench]]\nname = "parsing"\n');
    writeFileSync(path.join(crate, 'src/lib.rs'), 'pub fn sum(n: u64) -> u64 { (0..n).sum() }\n');
    const source = [
      '#![feature(test)]',
      'extern crate test;',
      'use test::{black_box, Bencher};',
      '#[bench]',
      'fn parse(b: &mut Bencher) { b.iter(|| micro::sum(black_box(1000))); }',
      '#[bench]',
      'fn parse_fast(b: &mut Bencher) { b.iter(|| micro::sum(black_box(10))); }',
      '',
    ].join('\n');
    const file = path.join(crate, 'benches/parsing.rs');
    writeFileSync(file, source);
    const command = await benchCommandFor(discovered(file, 'parse', source), context(file, [], { root: crate }));
    // Stable Rust compiles nightly's `test` crate with RUSTC_BOOTSTRAP; nothing to fetch.
    run(command, { RUSTC_BOOTSTRAP: '1', CARGO_NET_OFFLINE: 'true' });
    const results = command.results().benchmarks;
    assert.deepEqual(
      results.map((result) => result.name),
      ['parse'],
    );
    assert.ok(results[0]!.samples[0]! > 0);
  });

  it('go: go test -bench in the package folder, one benchmark of two with a shared prefix, every -count run a sample', async function () {
    this.timeout(180_000);
    if (!existsSync('/usr/bin/go')) this.skip(); // scripts/setup.sh installs golang-go
    const pkg = path.join(scratch, 'tokenizer');
    mkdirSync(pkg);
    writeFileSync(path.join(pkg, 'go.mod'), 'module example.com/tokenizer\n\ngo 1.19\n');
    const source = [
      'package tokenizer',
      '',
      'import (',
      '\t"strings"',
      '\t"testing"',
      ')',
      '',
      'func BenchmarkSplit(b *testing.B) {',
      '\tfor i := 0; i < b.N; i++ {',
      '\t\t_ = strings.Fields("GET /index.html 200 512 0.002")',
      '\t}',
      '}',
      '',
      'func BenchmarkSplitLong(b *testing.B) {',
      '\tfor i := 0; i < b.N; i++ {',
      '\t\t_ = strings.Fields(strings.Repeat("GET /index.html 200 ", 50))',
      '\t}',
      '}',
      '',
    ].join('\n');
    const file = path.join(pkg, 'tokenizer_test.go');
    writeFileSync(file, source);
    const command = await benchCommandFor(discovered(file, 'BenchmarkSplit', source), context(file, ['-count=3', '-benchtime=2000x', '-benchmem'], { root: pkg }));
    run(command, { GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOCACHE: path.join(scratch, 'go-cache'), GOPATH: path.join(scratch, 'go') });
    assert.deepEqual(
      command.results().benchmarks.map((result) => [result.name, result.samples.length]),
      [
        ['BenchmarkSplit', 3],
        ['BenchmarkSplit (B/op)', 3],
        ['BenchmarkSplit (allocs/op)', 3],
      ],
    );
  });
});
