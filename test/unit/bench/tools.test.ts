/**
 * Each benchmark tool's adapter: the command line it builds is run for real in /bin/sh (as Perf
 * Lab's tasks are), and its results are read back through the adapter. The programs it starts
 * (cargo, go, hyperfine, the benchmark executables) are stand-ins here that record the arguments
 * they were given and print what the real tool prints: this tier runs without toolchains. The
 * real tools run the same adapters in test/native/benchTools.test.ts (divan excepted: it is
 * neither on crates.io offline nor in Debian).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BenchCommand, benchCommandFor, BenchmarkRef, BenchRunContext, CommandBenchmark } from '../../../src/core/bench';

let scratch: string;
let bin: string;

/** A stand-in for `name` on PATH: records its arguments (NUL-separated) and prints `output`; `--benchmark_out=`/`--export-json` files get `written`. */
function standIn(name: string, output: string, written = ''): string {
  const script = path.join(bin, name);
  writeFileSync(path.join(scratch, `${name}.out`), output);
  writeFileSync(path.join(scratch, `${name}.written`), written);
  writeFileSync(
    script,
    `#!/bin/sh
printf '%s\\0' "$@" > '${scratch}/${name}.argv'
previous=
for arg in "$@"; do
  case "$arg" in --benchmark_out=*) cp '${scratch}/${name}.written' "\${arg#--benchmark_out=}";; esac
  [ "$previous" = --export-json ] && cp '${scratch}/${name}.written' "$arg"
  previous=$arg
done
cat '${scratch}/${name}.out'
`,
  );
  chmodSync(script, 0o755);
  return script;
}

/** The arguments the stand-in `name` was started with. */
const argv = (name: string) =>
  readFileSync(path.join(scratch, `${name}.argv`), 'utf8')
    .split('\0')
    .slice(0, -1);

/** Runs the command's line where Perf Lab would, the stand-ins first on PATH. */
function run(command: BenchCommand): void {
  execFileSync('/bin/sh', ['-c', command.line], { cwd: command.cwd, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: 'pipe' });
}

function context(file: string, overrides: Partial<BenchRunContext> = {}): BenchRunContext {
  return {
    file,
    root: scratch,
    revision: false,
    purpose: 'measure',
    args: [],
    commands: [],
    resultsFile: (extension) => path.join(scratch, 'results', `benchmark.${extension}`),
    findExecutable: async () => undefined,
    ...overrides,
  };
}

/** A cargo package with a bench target file; returns the file. */
function cargoPackage(name: string, bench: string): string {
  const crate = path.join(scratch, name);
  mkdirSync(path.join(crate, 'benches'), { recursive: true });
  writeFileSync(path.join(crate, 'Cargo.toml'), `[package]\nname = "${name}"\n`);
  const file = path.join(crate, 'benches', `${bench}.rs`);
  writeFileSync(file, '');
  return file;
}

describe('benchmark tool adapters', () => {
  beforeEach(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-tools-'));
    bin = path.join(scratch, 'bin');
    mkdirSync(bin);
    mkdirSync(path.join(scratch, 'results'));
  });

  it('criterion: cargo bench of the bench target, filtered to the one benchmark, results from target/criterion', async () => {
    const file = cargoPackage('wordfreq', 'criterion_benches');
    const crate = path.dirname(path.dirname(file));
    standIn('cargo', 'shard_of   time:   [10.0 ns 10.2 ns 10.4 ns]\n');
    const command = await benchCommandFor({ kind: 'criterion', id: 'shard_of' }, context(file, { args: ['--warm-up-time', '1'] }));
    assert.equal(command.cwd, crate);
    assert.equal(command.build, 'cargo bench --bench criterion_benches --no-run');
    run(command);
    assert.deepEqual(argv('cargo'), ['bench', '--bench', 'criterion_benches', '--', '--warm-up-time', '1', '^shard_of$']);
    // criterion's JSON, as it writes it for a benchmark and for a group over inputs.
    for (const [id, times] of [
      ['shard_of', [100, 220]],
      ['count_words/light', [900, 1800]],
    ] as const) {
      const folder = path.join(crate, 'target', 'criterion', ...id.split('/'), 'new');
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'sample.json'), JSON.stringify({ iters: [10, 20], times }));
      writeFileSync(path.join(folder, 'benchmark.json'), JSON.stringify({ full_id: id }));
    }
    assert.deepEqual(
      command.results().benchmarks.map((result) => [result.name, result.samples]),
      [['shard_of', [10, 11]]],
    );
    const group = await benchCommandFor({ kind: 'criterion', id: 'count_words', group: true }, context(file));
    assert.match(group.line, / '\^count_words\/'$/);
    assert.deepEqual(
      group.results().benchmarks.map((result) => result.name),
      ['count_words/light'],
    );
  });

  it("criterion under a profiler iterates for a fixed time without analysis, the user's measuring options left out", async () => {
    const file = cargoPackage('wordfreq', 'criterion_benches');
    standIn('cargo', '');
    run(await benchCommandFor({ kind: 'criterion', id: 'shard_of' }, context(file, { purpose: 'profile', args: ['--measurement-time', '9'] })));
    assert.deepEqual(argv('cargo'), ['bench', '--bench', 'criterion_benches', '--', '--profile-time', '5', '^shard_of$']);
  });

  it("libtest: filtered by the function's name (libtest matches substrings), only that function's results kept", async () => {
    const file = cargoPackage('parser', 'micro');
    standIn(
      'cargo',
      [
        'running 3 tests',
        'test inner::parse ... bench:           0.57 ns/iter (+/- 0.93)',
        'test parse        ... bench:          12.82 ns/iter (+/- 0.14)',
        'test parse_fast   ... bench:           0.45 ns/iter (+/- 0.09)',
        '',
      ].join('\n'),
    );
    const command = await benchCommandFor({ kind: 'libtest', id: 'parse' }, context(file, { args: ['--nocapture'] }));
    run(command);
    assert.deepEqual(argv('cargo'), ['bench', '--bench', 'micro', '--', '--nocapture', 'parse']);
    assert.deepEqual(
      command.results().benchmarks.map((result) => [result.name, result.samples]),
      [
        ['inner::parse', [0.57]],
        ['parse', [12.82]],
      ],
    );
  });

  it("divan: filtered by the function's path, results from its tree table", async () => {
    const file = cargoPackage('hashing', 'divan_benches');
    standIn(
      'cargo',
      [
        'Timer precision: 20 ns',
        'divan_benches    fastest       │ slowest       │ median        │ mean          │ samples │ iters',
        '├─ fibonacci     3.102 ns      │ 9.87 ns       │ 3.25 ns       │ 3.4 ns        │ 100     │ 204800',
        '╰─ fibonacci_memo 1.0 ns       │ 2.0 ns        │ 1.5 ns        │ 1.6 ns        │ 100     │ 204800',
        '',
      ].join('\n'),
    );
    const command = await benchCommandFor({ kind: 'divan', id: 'fibonacci' }, context(file, { args: ['--sample-count', '100'] }));
    run(command);
    assert.deepEqual(argv('cargo'), ['bench', '--bench', 'divan_benches', '--', '--sample-count', '100', '(^|::)fibonacci$']);
    assert.equal(command.results().tool, 'divan');
    assert.deepEqual(
      command.results().benchmarks.map((result) => [result.name, result.samples]),
      [
        ['fibonacci', [3.25]],
        ['fibonacci_memo', [1.5]],
      ],
    );
  });

  it("go: go test in the package's folder, no unit tests, each -count run a sample and each metric a benchmark", async () => {
    const pkg = path.join(scratch, 'tokenizer');
    mkdirSync(pkg);
    const file = path.join(pkg, 'tokenizer_test.go');
    writeFileSync(file, '');
    standIn(
      'go',
      [
        'goos: linux',
        'BenchmarkSplit-2   \t 1000000\t      1052 ns/op\t     256 B/op\t       3 allocs/op',
        'BenchmarkSplit-2   \t 1000000\t      1048 ns/op\t     256 B/op\t       3 allocs/op',
        'PASS',
        '',
      ].join('\n'),
    );
    const command = await benchCommandFor({ kind: 'go', id: 'BenchmarkSplit' }, context(file, { args: ['-count=2', '-benchmem'] }));
    assert.equal(command.cwd, pkg);
    assert.equal(command.build, undefined, 'go test builds the package itself');
    run(command);
    assert.deepEqual(argv('go'), ['test', '-run', '^$', '-bench', '^BenchmarkSplit$', '-count=2', '-benchmem', '.']);
    assert.deepEqual(
      command.results().benchmarks.map((result) => [result.name, result.unit, result.samples]),
      [
        ['BenchmarkSplit', 'ns', [1052, 1048]],
        ['BenchmarkSplit (B/op)', 'B/op', [256, 256]],
        ['BenchmarkSplit (allocs/op)', 'allocs/op', [3, 3]],
      ],
    );
  });

  it('Google Benchmark: the executable built from the source file, filtered with its ->Arg variants, JSON results', async () => {
    const file = path.join(scratch, 'latency_bench.cpp');
    const report = { context: {}, benchmarks: [{ name: 'BM_BucketOf/8', run_name: 'BM_BucketOf/8', run_type: 'iteration', real_time: 5, cpu_time: 5, time_unit: 'us', iterations: 10 }] };
    const executable = standIn('latency_bench', '', JSON.stringify(report));
    const stems: string[] = [];
    const command = await benchCommandFor(
      { kind: 'google-benchmark', id: 'BM_BucketOf' },
      context(file, { args: ['--benchmark_repetitions=10'], findExecutable: async (stem) => (stems.push(stem), executable) }),
    );
    assert.deepEqual(stems, ['latency_bench']);
    assert.equal(command.cwd, bin);
    run(command);
    assert.deepEqual(argv('latency_bench'), ['--benchmark_filter=^BM_BucketOf(/|$)', `--benchmark_out=${command.resultsFile}`, '--benchmark_out_format=json', '--benchmark_repetitions=10']);
    assert.deepEqual(
      command.results().benchmarks.map((result) => [result.name, result.samples]),
      [['BM_BucketOf/8', [5000]]],
    );
  });

  it('Google Benchmark and Catch2 not built yet: an error saying what to build, and where for a revision', async () => {
    const file = path.join(scratch, 'latency_bench.cpp');
    await assert.rejects(benchCommandFor({ kind: 'google-benchmark', id: 'BM_X' }, context(file)), /no built Google Benchmark executable named latency_bench in the workspace: build it first/);
    await assert.rejects(
      benchCommandFor({ kind: 'catch2', id: 'x', testCase: 'y' }, context(file, { revision: true, root: '/tmp/worktree-abc' })),
      /no built Catch2 executable named latency_bench in \/tmp\/worktree-abc: build it first \(perfLab.experiments.buildCommand builds each revision\)/,
    );
  });

  it('Catch2: the test case holding the benchmark, its name escaped so Catch2 reads it as a name', async () => {
    const file = path.join(scratch, 'hashes.cpp');
    const executable = standIn(
      'hashes',
      [
        'benchmark name                       samples       iterations    estimated',
        '                                     mean          low mean      high mean',
        '-------------------------------------------------------------------------------',
        'fnv1a 64 bytes                                 100           123     2.4477 ms',
        '                                        200.12 ns    199.50 ns    201.00 ns',
        '                                          3.1 ns       2.5 ns       4.2 ns',
        '',
      ].join('\n'),
    );
    const command = await benchCommandFor(
      { kind: 'catch2', id: 'fnv1a 64 bytes', testCase: '--fast, [not a tag] *path*' },
      context(file, { args: ['--benchmark-samples', '100'], findExecutable: async () => executable }),
    );
    run(command);
    assert.deepEqual(argv('hashes'), ['\\--fast\\, \\[not a tag\\] \\*path\\*', '--benchmark-samples', '100']);
    assert.deepEqual(
      command.results().benchmarks.map((result) => [result.name, result.samples]),
      [['fnv1a 64 bytes', [200.12]]],
    );
  });

  it('hyperfine: the perfLab.commands entry by name, in the folder root, its results named by name and parameters', async () => {
    const declared: CommandBenchmark = { name: 'wordfreq', command: 'wordfreq inputs/{input}.log', parameters: { input: ['light', 'heavy'] }, runs: 3 };
    const exported = {
      results: ['light', 'heavy'].map((input, index) => ({ command: `wordfreq input=${input}`, times: [0.1 * (index + 1), 0.1 * (index + 1)], exit_codes: [0, 0], parameters: { input } })),
    };
    standIn('hyperfine', '', JSON.stringify(exported));
    const command = await benchCommandFor({ kind: 'hyperfine', id: 'wordfreq' }, context(path.join(scratch, 'settings.json'), { commands: [declared] }));
    assert.equal(command.cwd, scratch);
    run(command);
    assert.deepEqual(argv('hyperfine'), [
      '--warmup',
      '1',
      '--runs',
      '3',
      '--export-json',
      command.resultsFile,
      '--parameter-list',
      'input',
      'light,heavy',
      '--command-name',
      'wordfreq input={input}',
      'wordfreq inputs/{input}.log',
    ]);
    assert.deepEqual(
      command.results().benchmarks.map((result) => result.name),
      ['wordfreq input=light', 'wordfreq input=heavy'],
    );
    await assert.rejects(benchCommandFor({ kind: 'hyperfine', id: 'gone' }, context(scratch, { commands: [declared] })), /perfLab.commands has no command named "gone"/);
  });

  it('a benchmark name with quotes and $(…) reaches the tool as one literal argument, never as shell code', async () => {
    const file = cargoPackage('odd', 'benches_1');
    standIn('cargo', '');
    const hostile: BenchmarkRef = { kind: 'criterion', id: `it's $(touch pwned) "x"` };
    run(await benchCommandFor(hostile, context(file)));
    assert.equal(argv('cargo').at(-1), `^it's \\$\\(touch pwned\\) "x"$`);
    assert.equal(existsSync(path.join(path.dirname(path.dirname(file)), 'pwned')), false);
  });

  it('a benchmark whose tool printed nothing Perf Lab reads: an error naming the results file and the tool', async () => {
    const pkg = path.join(scratch, 'tokenizer');
    mkdirSync(pkg);
    standIn('go', '# tokenizer\n./tokenizer_test.go:3:1: syntax error\nFAIL\n');
    const command = await benchCommandFor({ kind: 'go', id: 'BenchmarkSplit' }, context(path.join(pkg, 'tokenizer_test.go')));
    run(command);
    assert.throws(
      () => command.results(),
      (error: Error) => error.message === `${command.resultsFile}: no go test -bench results in this file`,
    );
  });

  it('a Rust file outside any cargo package: an error naming the file', async () => {
    const file = path.join(scratch, 'loose.rs');
    await assert.rejects(benchCommandFor({ kind: 'criterion', id: 'x' }, context(file)), new RegExp(`${file} is not inside a cargo package`));
  });
});
