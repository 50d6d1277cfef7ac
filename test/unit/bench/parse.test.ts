import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BenchParseError, loadBenchResults, parseBenchText } from '../../../src/core/bench';
import { runCli } from '../../../src/cli/cli';

const conformance = path.resolve(__dirname, '../../../../../shared/conformance/bench-output');

function files(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    return statSync(file).isDirectory() ? files(file) : name.startsWith('LICENSE') ? [] : [file];
  });
}

const medianOf = (text: string, file: string, name: string) => parseBenchText(text, file).benchmarks.find((b) => b.name === name)!.samples[0];

describe('benchmark outputs from other tools', () => {
  it('every file under conformance/bench-output parses', () => {
    const all = files(conformance);
    assert.ok(all.length >= 20);
    for (const file of all) {
      const output = parseBenchText(readFileSync(file, 'utf8'), file);
      if (!file.endsWith('zero.txt')) assert.ok(output.benchmarks.length > 0, file);
      for (const result of output.benchmarks) assert.ok(result.samples.every(Number.isFinite), `${file}: ${result.name}`);
    }
  });

  it('libtest: thousands separators, failed and ignored tests skipped, zero benchmarks', () => {
    const read = (name: string) => readFileSync(path.join(conformance, 'rust/bench', name), 'utf8');
    assert.deepEqual(
      parseBenchText(read('failed.txt'), 'failed.txt').benchmarks.map((b) => [b.name, b.samples[0]]),
      [
        ['tests::benchmark_a', 3296],
        ['tests::benchmark_c', 3215],
      ],
    );
    assert.deepEqual(parseBenchText(read('zero.txt'), 'zero.txt'), { tool: 'libtest', benchmarks: [] });
    assert.equal(medianOf('test plain::tokenize_line ... bench:         1,234.56 ns/iter (+/- 12.30)\n', 'x', 'plain::tokenize_line'), 1234.56);
  });

  it('criterion terminal output: estimates in ns whatever the unit, long names on their own line', () => {
    const text = readFileSync(path.join(conformance, 'rust/criterion/many.txt'), 'utf8');
    assert.ok(Math.abs(medianOf(text, 'many.txt', 'file')! - 0.3239) < 1e-9, 'ps become ns');
    const dogfood = parseBenchText(readFileSync(path.join(conformance, 'rust/criterion/dogfood.txt'), 'utf8'), 'dogfood.txt');
    assert.deepEqual(dogfood.benchmarks.map((b) => b.name).slice(0, 2), ['Adapter::Magic (JSON)', 'Adapter::Json']);
  });

  it('Google Benchmark JSON with bare NaN and Infinity, repetitions as samples, aggregates as extra', () => {
    const json = JSON.stringify({
      context: { date: 'x' },
      benchmarks: [1, 2, 3].map((i) => ({
        name: 'BM_Sort/1024',
        run_name: 'BM_Sort/1024',
        run_type: 'iteration',
        repetition_index: i,
        iterations: 100,
        real_time: 10 + i,
        cpu_time: 10,
        time_unit: 'us',
        bytes_per_second: 'NAN_HERE',
      })),
    }).replace(/"NAN_HERE"/g, 'NaN');
    const withAggregate = json.replace(
      ']}',
      `,{"name":"BM_Sort/1024_median","run_name":"BM_Sort/1024","run_type":"aggregate","aggregate_name":"median","real_time":12,"cpu_time":10,"time_unit":"us","items_per_second":Infinity}]}`,
    );
    const [result] = parseBenchText(withAggregate, 'gbench.json').benchmarks;
    assert.deepEqual(result!.samples, [11000, 12000, 13000]);
    assert.equal(result!.extra!.median, 12000);
    const conformanceRun = parseBenchText(readFileSync(path.join(conformance, 'cpp/google/two.txt'), 'utf8'), 'two.txt');
    assert.deepEqual(
      conformanceRun.benchmarks.map((b) => b.name),
      ['fib_10', 'fib_20'],
    );
  });

  it('hyperfine JSON: every run in ns, exit codes kept', () => {
    const output = parseBenchText(readFileSync(path.join(conformance, 'shell/hyperfine/two.json'), 'utf8'), 'two.json');
    assert.deepEqual(
      output.benchmarks.map((b) => b.name),
      ['sleep 0.1', 'sleep 0.2'],
    );
    assert.equal(output.benchmarks[0]!.samples.length, 27);
    assert.ok(output.benchmarks[0]!.samples.every((ns) => ns > 1e8 && ns < 2e8));
  });

  it('go test -bench with -count gives one sample per run; iai counts instructions', () => {
    const text = 'BenchmarkFib10-8   5604217   210.2 ns/op\nBenchmarkFib10-8   5604217   212.4 ns/op\nBenchmarkFib10-8   5604217   209.8 ns/op\n';
    assert.deepEqual(parseBenchText(text, 'go.txt').benchmarks[0]!.samples, [210.2, 212.4, 209.8]);
    const iai = parseBenchText(readFileSync(path.join(conformance, 'rust/iai/two.txt'), 'utf8'), 'two.txt');
    assert.deepEqual(
      iai.benchmarks.map((b) => [b.name, b.unit, b.samples[0]]),
      [
        ['bench_fibonacci_short', 'instructions', 1735],
        ['bench_fibonacci_long', 'instructions', 26214735],
      ],
    );
  });

  it("divan: the tree table, each benchmark by its path, its median as the run's value", () => {
    // The layout divan 0.1 prints (colours off when piped): a module, a function with args,
    // threads under a function, a throughput counter row, and the bench target as the root.
    const output = [
      'Timer precision: 20 ns',
      'hashing              fastest       │ slowest       │ median        │ mean          │ samples │ iters',
      '├─ shard_of          3.102 ns      │ 9.87 ns       │ 3.25 ns       │ 3.4 ns        │ 100     │ 204800',
      '├─ tokenize                        │               │               │               │         │',
      '│  ├─ 10             41.2 ns       │ 80.1 ns       │ 42 ns         │ 43.5 ns       │ 100     │ 12800',
      '│  │                 242.7 MB/s    │ 124.8 MB/s    │ 238 MB/s      │ 229.8 MB/s    │         │',
      '│  ╰─ 1000           3.801 µs      │ 5.2 µs        │ 3.9 µs        │ 4.01 µs       │ 100     │ 200',
      '╰─ maps                            │               │               │               │         │',
      '   ╰─ insert                       │               │               │               │         │',
      '      ├─ t=1         1.5 ms        │ 2.1 ms        │ 1.61 ms       │ 1.7 ms        │ 100     │ 100',
      '      ╰─ t=2         900 µs        │ 1.2 ms        │ 0.95 ms       │ 1 ms          │ 100     │ 100',
      '',
    ].join('\n');
    const parsed = parseBenchText(`\x1b[1m${output}\x1b[0m`, 'divan.txt');
    assert.equal(parsed.tool, 'divan');
    assert.deepEqual(
      parsed.benchmarks.map((b) => [b.name, b.samples]),
      [
        ['shard_of', [3.25]],
        ['tokenize/10', [42]],
        ['tokenize/1000', [3900]],
        ['maps/insert/t=1', [1_610_000]],
        ['maps/insert/t=2', [950_000]],
      ],
    );
    assert.deepEqual(parsed.benchmarks[0]!.extra, { fastest: 3.102, slowest: 9.87, mean: 3.4, samples: 100, iterations: 204800 });
    // A row cut short names the file, the line and the benchmark.
    const broken = output.replace('│ 42 ns         │', '│ ?             │');
    assert.throws(
      () => parseBenchText(broken, 'divan.txt'),
      (error: Error) => error instanceof BenchParseError && error.message === 'divan.txt:5: divan row "tokenize/10" has no median time',
    );
  });

  it('criterion JSON directories, in both key casings', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-criterion-'));
    const write = (id: string, sample: object) => {
      const folder = path.join(root, ...id.split('/'), 'new');
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'sample.json'), JSON.stringify(sample));
      writeFileSync(path.join(folder, 'benchmark.json'), JSON.stringify({ full_id: id }));
    };
    write('count_words/light', { sampling_mode: 'Linear', iters: [10, 20], times: [1000, 2400] });
    write('old_casing', { Iters: [5, 5], Times: [50, 60] });
    const output = loadBenchResults(root);
    assert.deepEqual(
      output.benchmarks.map((b) => [b.name, b.samples]),
      [
        ['count_words/light', [100, 120]],
        ['old_casing', [10, 12]],
      ],
    );
  });

  it('unreadable input names the file', () => {
    assert.throws(
      () => parseBenchText('just some text\n', 'notes.txt'),
      (error: unknown) => error instanceof BenchParseError && error.message.startsWith('notes.txt: no benchmark results'),
    );
    assert.throws(() => parseBenchText('{"context": {}, "benchmarks": [', 'cut.json'), /cut\.json: invalid Google Benchmark JSON/);
  });
});

describe('perf-lab bench parse and compare', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-compare-'));
  const run = (name: string, commands: Record<string, number[]>) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify({ results: Object.entries(commands).map(([command, times]) => ({ command, times, exit_codes: times.map(() => 0) })) }));
    return file;
  };
  const series = (centre: number, n = 20) => Array.from({ length: n }, (_, i) => centre * (1 + ((i % 5) - 2) / 200));

  async function cli(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text) });
    return { code, out, err };
  }

  it('reads every metric of a go test -bench line and compares each as benchstat does (MB/s: more is better)', async () => {
    const go = (ns: number, bytes: number, allocs: number, mbps: number) =>
      Array.from(
        { length: 10 },
        (_, i) => `BenchmarkParse-8   \t  100000\t ${(ns * (1 + (i % 3) / 1000)).toFixed(1)} ns/op\t ${(mbps * (1 - (i % 3) / 1000)).toFixed(2)} MB/s\t ${bytes} B/op\t ${allocs} allocs/op`,
      ).join('\n') + '\nPASS\n';
    const base = path.join(mkdtempSync(path.join(os.tmpdir(), 'perf-lab-go-')), 'base.txt');
    const cand = path.join(path.dirname(base), 'cand.txt');
    writeFileSync(base, go(1000, 4096, 12, 50));
    writeFileSync(cand, go(500, 1024, 3, 100));
    const parsed = parseBenchText(readFileSync(base, 'utf8'), base).benchmarks;
    assert.deepEqual(
      parsed.map((b) => `${b.name} ${b.unit} ${b.samples.length}`),
      ['BenchmarkParse ns 10', 'BenchmarkParse (MB/s) MB/s 10', 'BenchmarkParse (B/op) B/op 10', 'BenchmarkParse (allocs/op) allocs/op 10'],
    );
    const { code, out } = await cli('compare', base, cand, '--json');
    assert.equal(code, 0);
    const rows = Object.fromEntries(JSON.parse(out).benchmarks.map((b: { name: string; deltaPct: number; verdict: string }) => [b.name, [Math.round(b.deltaPct), b.verdict]]));
    assert.deepEqual(rows, {
      BenchmarkParse: [-50, 'KEEP'],
      'BenchmarkParse (MB/s)': [100, 'KEEP'],
      'BenchmarkParse (B/op)': [-75, 'KEEP'],
      'BenchmarkParse (allocs/op)': [-75, 'KEEP'],
    });
  });

  it('compares two hyperfine files of one command each (hyperfine ./base, then hyperfine ./cand), saying which met which', async () => {
    const base = run('base.json', { './base input.txt': series(0.2) });
    const cand = run('cand.json', { './cand input.txt': series(0.1) });
    const { code, out } = await cli('compare', base, cand, '--json');
    assert.equal(code, 0);
    const result = JSON.parse(out);
    assert.equal(result.pairing, 'single');
    assert.deepEqual([result.benchmarks[0].name, result.benchmarks[0].candidateName, result.benchmarks[0].verdict], ['./base input.txt', './cand input.txt', 'KEEP']);
    const text = await cli('compare', base, cand);
    assert.match(text.out, /^\.\/base input\.txt → \.\/cand input\.txt {2}/m);
  });

  it('compares the two commands of one hyperfine file, the first as the baseline', async () => {
    const { code, out } = await cli('compare', path.join(conformance, 'shell/hyperfine/two.json'), '--json');
    assert.equal(code, 0);
    const [row] = JSON.parse(out).benchmarks;
    assert.deepEqual([row.name, row.candidateName], ['sleep 0.1', 'sleep 0.2']);
    assert.ok(row.deltaPct > 50, `${row.deltaPct}`);
    assert.equal(row.verdict, 'DISCARD (regression)');
    const one = await cli('compare', path.join(conformance, 'shell/hyperfine/one.json'));
    assert.equal(one.code, 2);
    assert.match(one.err, /one file holding exactly two benchmarks/);
  });

  it('compare refuses samples that are not positive finite numbers, naming the file and benchmark', async () => {
    const good = run('good.json', { 'wordfreq heavy': series(0.2) });
    for (const [label, value] of [
      ['NaN', Number.NaN],
      ['negative', -0.1],
      ['zero', 0],
    ] as const) {
      const bad = run(`bad-${label}.json`, { 'wordfreq heavy': [...series(0.2, 9), value] });
      for (const argv of [
        [good, bad],
        [bad, good],
      ]) {
        const { code, err } = await cli('compare', ...argv, '--fail-on-regression');
        assert.equal(code, 1, `${label}: ${err}`);
        // NaN (null in JSON) and negative times are refused as the file is read, zero by compare.
        const reason =
          label === 'zero'
            ? 'benchmark "wordfreq heavy": sample 10 of 10 is 0, not a positive time'
            : `results\\[0\\]\\.times\\[9\\]: expected a number of at least 0, found ${label === 'NaN' ? 'null' : 'number -0\\.1'}`;
        assert.match(err, new RegExp(`^perf-lab: .*bad-${label}\\.json: ${reason}\\n$`));
      }
    }
  });

  it('bench parse --json has the documented shape', async () => {
    const file = run('one.json', { 'wordfreq heavy': series(0.2) });
    const { code, out } = await cli('bench', 'parse', file, '--json');
    assert.equal(code, 0);
    const result = JSON.parse(out);
    assert.deepEqual(Object.keys(result), ['tool', 'benchmarks']);
    assert.deepEqual(Object.keys(result.benchmarks[0]), ['name', 'unit', 'samples', 'median', 'mean', 'cv', 'n']);
    assert.equal(result.benchmarks[0].n, 20);
  });

  it('compare --json: deltas, intervals, Holm-adjusted p-values, verdicts and the geometric mean', async () => {
    const baseline = run('base.json', { fast: series(0.1), same: series(0.3) });
    const candidate = run('cand.json', { fast: series(0.08), same: series(0.3) });
    const { code, out } = await cli('compare', baseline, candidate, '--json');
    assert.equal(code, 0);
    const result = JSON.parse(out);
    assert.deepEqual(Object.keys(result), ['benchmarks', 'geomeanDeltaPct', 'pairing']);
    const fast = result.benchmarks.find((b: { name: string }) => b.name === 'fast');
    assert.deepEqual(Object.keys(fast), ['name', 'baseline', 'candidate', 'deltaPct', 'ci', 'p', 'verdict']);
    assert.equal(fast.verdict, 'KEEP');
    assert.ok(Math.abs(fast.deltaPct + 20) < 0.5);
    assert.equal(result.benchmarks.find((b: { name: string }) => b.name === 'same').verdict, 'DISCARD');
    assert.ok(result.geomeanDeltaPct < -9 && result.geomeanDeltaPct > -12);
  });

  it('compare --fail-on-regression exits 1 on a significant slowdown; --markdown is a table', async () => {
    const baseline = run('base2.json', { hot: series(0.1) });
    const slower = run('slow.json', { hot: series(0.12) });
    assert.equal((await cli('compare', baseline, slower)).code, 0);
    assert.equal((await cli('compare', baseline, slower, '--fail-on-regression')).code, 1);
    const { out } = await cli('compare', baseline, slower, '--markdown');
    assert.match(out, /^\| benchmark \| baseline \| candidate \| Δ \| 95% CI \| p \(Holm\) \| verdict \|\n\|---\|/);
    assert.match(out, /DISCARD \(regression\) \|/);
  });

  it('compare judges instruction counts (iai) by the change alone: no interval, no p-value', async () => {
    const iai = (name: string, long: number) => {
      const file = path.join(dir, name);
      writeFileSync(file, `iai_short\n  Instructions:                1243\n  L1 Accesses:                 1580\n\niai_long\n  Instructions:            ${long}\n`);
      return file;
    };
    const result = await cli('compare', iai('iai-base.txt', 18454953), iai('iai-cand.txt', 14763962), '--json');
    const json = JSON.parse(result.out) as { benchmarks: { name: string; deltaPct: number; ci: unknown; p: unknown; verdict: string }[] };
    assert.deepEqual(
      json.benchmarks.map((b) => [b.name, b.deltaPct.toFixed(1), b.ci, b.p, b.verdict]),
      [
        ['iai_short', '0.0', null, null, 'DISCARD'],
        ['iai_long', '-20.0', null, null, 'KEEP'],
      ],
    );
    assert.match((await cli('compare', iai('iai-base.txt', 18454953), iai('iai-more.txt', 19454953))).out, /iai_long .* n\/a \(count\) {2}n\/a \(count\) {2}DISCARD \(regression\)/);
  });

  it('compare --methodology FILE judges by the thresholds the team wrote down', async () => {
    const baseline = run('base3.json', { hot: series(0.1) });
    const faster = run('fast3.json', { hot: series(0.093) }); // 7% faster
    const verdict = async (...extra: string[]) => JSON.parse((await cli('compare', baseline, faster, '--json', ...extra)).out).benchmarks[0].verdict;
    assert.equal(await verdict(), 'KEEP');
    const strict = path.join(dir, 'methodology.md');
    writeFileSync(strict, '| KEEP | p < 0.05 and at least **10%** faster, with the whole interval beyond 5% |\n');
    assert.equal(await verdict('--methodology', strict), 'MAYBE');
    const missing = await cli('compare', baseline, faster, '--methodology', path.join(dir, 'nope.md'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.md/);
  });
});
