/**
 * examples/native-core with the real tools: cargo bench (criterion and a plain harness), Google
 * Benchmark JSON, hyperfine, perf and callgrind all run, and their outputs name the deliberate
 * hot functions with file and line. Needs `examples/native-core/setup.sh` (run by `npm test`).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callgrindFolderTotal, expandCommand, instructionCountLine } from '../../src/core/bench';
import { functionStats, lineStats, loadProfile, SymbolCache, totalWeight } from '../../src/core/profiles';

const core = path.resolve(__dirname, '../../../examples/native-core');
const rust = path.join(core, 'rust');
const wordfreq = path.join(rust, 'target/release/wordfreq');
const latencyBench = path.join(core, 'build/cpp/latency_bench');
const lib = path.join(rust, 'wordfreq/src/lib.rs');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-native-'));

function run(command: string, args: string[], cwd = core): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The line of `fn NAME` in lib.rs, so the test follows the code when it moves. */
function lineOf(signature: string): number {
  const index = readFileSync(lib, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(signature));
  assert.ok(index >= 0, `${signature} not found in lib.rs`);
  return index + 1;
}

describe('examples/native-core with real tools', () => {
  before(() => {
    for (const file of [wordfreq, latencyBench, path.join(core, 'inputs/heavy.log')]) {
      assert.ok(existsSync(file), `${file} is missing: run examples/native-core/setup.sh`);
    }
  });

  it('cargo test passes (the correctness check experiments run)', () => {
    const output = run('cargo', ['test', '--release', '--quiet'], rust);
    assert.match(output, /test result: ok\. [1-9]\d* passed; 0 failed/);
  });

  it('cargo bench runs the criterion benchmarks, including a group over inputs', () => {
    const output = run('cargo', ['bench', '--quiet', '--bench', 'criterion_benches', '--', '--warm-up-time', '1', '--measurement-time', '1', '--sample-size', '10', '--noplot'], rust);
    for (const id of ['tokenize_line', 'count_words/light', 'count_words/typical', 'shard_of', 'lcs_len']) {
      assert.match(output, new RegExp(`^${id}\\s+time:\\s+\\[[\\d.]+ [mµn]s`, 'm'), `no criterion result for ${id}:\n${output}`);
    }
    const estimates = JSON.parse(readFileSync(path.join(rust, 'target/criterion/count_words/typical/new/estimates.json'), 'utf8'));
    assert.ok(estimates.median.point_estimate > 0);
  });

  it('the plain-harness benchmark prints libtest bench lines', () => {
    const output = run('cargo', ['bench', '--quiet', '--bench', 'plain_bench'], rust);
    const lines = output.split('\n').filter((line) => line.startsWith('test '));
    assert.equal(lines.length, 3, output);
    for (const line of lines) assert.match(line, /^test plain::\w+ \.\.\. bench: +[\d,]+\.\d\d ns\/iter \(\+\/- [\d,]+\.\d\d\)$/);
  });

  it('Google Benchmark writes JSON with Arg, Range and fixture benchmarks', () => {
    const report = JSON.parse(run(latencyBench, ['--benchmark_format=json', '--benchmark_min_time=0.01']));
    const names = report.benchmarks.map((benchmark: { name: string }) => benchmark.name);
    assert.deepEqual(names, ['BM_Percentile/1000', 'BM_Percentile/10000', 'BM_BucketOf/8', 'BM_BucketOf/64', 'EndpointFixture/Record']);
    const [small, large] = report.benchmarks;
    assert.ok(large.real_time > small.real_time * 3, 'sorting per query grows with the sample count');
  });

  it('hyperfine times the program over light, typical and heavy inputs', () => {
    const exported = path.join(scratch, 'hyperfine.json');
    run('hyperfine', ['--runs', '3', '--warmup', '1', '--export-json', exported, '-L', 'shape', 'light,typical,heavy', `${wordfreq} inputs/{shape}.log`]);
    const { results } = JSON.parse(readFileSync(exported, 'utf8'));
    assert.deepEqual(
      results.map((result: { parameters: { shape: string } }) => result.parameters.shape),
      ['light', 'typical', 'heavy'],
    );
    for (const result of results) assert.deepEqual(result.exit_codes, [0, 0, 0]);
    assert.ok(results[2].median > results[0].median, 'heavy takes longer than light');
  });

  it('perf record -e cpu-clock -g + perf script name the hot Rust functions with file and line', () => {
    const data = path.join(scratch, 'perf.data');
    run('perf', ['record', '-q', '-e', 'cpu-clock', '-g', '-o', data, '--', wordfreq, 'inputs/heavy.log']);
    const script = run('perf', ['script', '-i', data, '-F', 'comm,tid,time,ip,sym,srcline']);
    // perf script prints a frame "ADDR SYMBOL" followed by its "FILE:LINE".
    const framesAt = (symbol: string) => [...script.matchAll(new RegExp(`\\s${symbol}\\n\\s+(\\S+):(\\d+)`, 'g'))].map((match) => ({ file: match[1]!, line: Number(match[2]) }));
    // A frame's srcline is its innermost inlined location: shard_of's samples mostly land in the
    // fnv1a loop inlined into it, so its own body or fnv1a's both count.
    const checks = [
      ['wordfreq::shard_of', ['pub fn shard_of', 'pub fn fnv1a']],
      ['wordfreq::WordCounts::add', ['pub fn add']],
    ] as const;
    for (const [symbol, signatures] of checks) {
      const frames = framesAt(symbol);
      assert.ok(frames.length > 10, `${symbol} is not among the sampled frames`);
      const starts = signatures.map(lineOf);
      assert.ok(
        frames.some((frame) => frame.file.endsWith('lib.rs') && starts.some((start) => frame.line >= start && frame.line < start + 12)),
        `no ${symbol} frame at lib.rs:${starts.join(' or ')}..: ${JSON.stringify(frames.slice(0, 5))}`,
      );
    }
    assert.match(script, /\swordfreq::analyze\n/, 'callers appear in the call graph');
  });

  it('Perf Lab reads that perf profile with source lines from its own symbolizer (no -F +srcline)', async () => {
    const data = path.join(scratch, 'perf-symbolize.data');
    run('perf', ['record', '-q', '-e', 'cpu-clock', '-g', '-o', data, '--', wordfreq, 'inputs/heavy.log']);
    const script = path.join(scratch, 'perf-symbolize.txt');
    writeFileSync(script, run('perf', ['script', '-i', data]));
    const symbols = new SymbolCache();
    try {
      const profile = await loadProfile(script, { symbols });
      const shardOf = lineOf('pub fn shard_of');
      const lines = lineStats(profile, lib);
      const inShardOf = lines.filter((line) => line.line >= shardOf && line.line < shardOf + 6);
      assert.ok(inShardOf.reduce((sum, line) => sum + line.total, 0) > totalWeight(profile) * 0.2, `shard_of lines: ${JSON.stringify(inShardOf)}`);
      const add = functionStats(profile).find((stat) => stat.name === 'wordfreq::WordCounts::add');
      assert.equal(add?.file, lib);

      // Callers are placed at their call, not at the instruction after it (a return address):
      // count_words' time is on `counts.add(&word);`, never on the `}` after it, and no
      // destructor that follows a call is mistaken for the callee (issue 16: 54% went to `}` and
      // to drop_in_place<String>).
      const source = readFileSync(lib, 'utf8').split('\n');
      const total = totalWeight(profile);
      const callLine = source.findIndex((text) => text.trim() === 'counts.add(&word);') + 1;
      const atCall = lines.find((line) => line.line === callLine);
      assert.ok(atCall && atCall.total > total * 0.3, `lib.rs:${callLine} (counts.add) holds ${atCall?.total ?? 0} of ${total}`);
      const closingBraces = lines.filter((line) => source[line.line - 1]?.trim() === '}' && line.total - line.self > total * 0.02);
      assert.deepEqual(
        closingBraces.map((line) => `lib.rs:${line.line} ${((100 * line.total) / total).toFixed(1)}%`),
        [],
        'callees counted on a closing brace',
      );
      const drops = functionStats(profile).filter((stat) => stat.name.startsWith('drop_in_place') && stat.total > total * 0.1);
      assert.deepEqual(
        drops.map((stat) => stat.name),
        [],
        'a destructor after the call taken for the callee',
      );
    } finally {
      symbols.dispose();
    }
  });

  it('callgrind counts instructions per function, file and line for Rust and C++', () => {
    const rustOut = path.join(scratch, 'callgrind.out.wordfreq');
    run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${rustOut}`, wordfreq, 'inputs/light.log']);
    const rustProfile = readFileSync(rustOut, 'utf8');
    // A file is named where callgrind first meets it: fl= (a function's file), fi=/fe= (inlined
    // code) or cfi= (a callee's file), whichever its dump order reaches first.
    assert.match(rustProfile, /^c?f[lie]=\(\d+\) .*rust\/wordfreq\/src\/lib\.rs$/m, 'lib.rs named in no fl=, fi=, fe= or cfi= line');
    for (const name of ['wordfreq::lcs_len', 'wordfreq::shard_of', 'wordfreq::WordCounts::add', 'wordfreq::tokenize']) {
      assert.match(rustProfile, new RegExp(`^c?fn=\\(\\d+\\) ${name}$`, 'm'), `${name} missing from callgrind output`);
    }
    const lcs = lineOf('pub fn lcs_len');
    const annotated = run('callgrind_annotate', ['--auto=no', rustOut]);
    assert.match(annotated, /rust\/wordfreq\/src\/lib\.rs:wordfreq::lcs_len/);
    // Per-line costs inside lcs_len's body: a cost line "LINE COST" right after its fn= entry.
    const body = rustProfile
      .split(/^fn=\(\d+\) wordfreq::lcs_len$/m)[1]!
      .split('\n')
      .slice(0, 6)
      .join('\n');
    assert.ok(
      body.split('\n').some((line) => /^\d+ \d+$/.test(line) && Math.abs(Number(line.split(' ')[0]) - lcs) < 12),
      `no per-line cost near lib.rs:${lcs} for lcs_len:\n${body}`,
    );

    const cppOut = path.join(scratch, 'callgrind.out.latency');
    run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${cppOut}`, latencyBench, '--benchmark_filter=BM_Percentile/1000$', '--benchmark_min_time=0.01']);
    const cppAnnotated = run('callgrind_annotate', ['--auto=no', cppOut]);
    assert.match(cppAnnotated, /cpp\/src\/latency\.cpp:latency::Stats::percentile\(double\) const/);
  });

  it("an experiment's instruction count of a command is the same on every run, all its processes summed", () => {
    const lines = expandCommand({ name: 'wordfreq', command: 'rust/target/release/wordfreq inputs/{input}.log', parameters: { input: ['light', 'typical'] } }).map((run) => run.line);
    assert.deepEqual(lines, ['rust/target/release/wordfreq inputs/light.log', 'rust/target/release/wordfreq inputs/typical.log']);
    const count = (attempt: number) => {
      const folders = lines.map((_, index) => path.join(scratch, `instructions-${attempt}`, String(index)));
      folders.forEach((folder) => mkdirSync(folder, { recursive: true }));
      run('sh', ['-c', instructionCountLine(lines, folders)]);
      return folders.map((folder) => {
        const files = readdirSync(folder).map((file) => path.join(folder, file));
        // The shell and the program it started: one callgrind file each.
        assert.ok(files.length >= 1, folder);
        return callgrindFolderTotal(
          files.map((file) => ({ file, text: readFileSync(file, 'utf8') })),
          folder,
        );
      });
    };
    const first = count(1);
    assert.deepEqual(count(2), first, 'deterministic');
    // The typical input is about 8x the light one: so is the work.
    assert.ok(first[1]! > 5 * first[0]! && first[0]! > 10_000_000, first.join(', '));
  });
});
