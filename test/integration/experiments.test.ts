import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Experiment } from '../../src/core/experiments';
import type { PerfLabApi } from '../../src/extension/extension';
import type { IdeaNode } from '../../src/extension/ideasView';
import type { BenchmarkTarget } from '../../src/protocol/lsp';
import { lineNumbersIndexed } from '../fixtures/exampleFixes';
import { waitFor } from './waitFor';

const folder = () => vscode.workspace.workspaceFolders![0]!.uri;

/** The criterion benchmark of the example's shard_of. */
const shardOfBenchmark = (): BenchmarkTarget => ({ uri: vscode.Uri.joinPath(folder(), 'rust/wordfreq/benches/criterion_benches.rs').toString(), kind: 'criterion', id: 'shard_of' });

/** lib.rs with the fix its idea proposes: the salt hashed once, not on every shard_of call. */
const saltHashedOnce = (source: string): string =>
  source.replace(
    'let salted = fnv1a(FNV_OFFSET, SHARD_SALT.as_bytes());',
    'static SALTED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();\n    let salted = *SALTED.get_or_init(|| fnv1a(FNV_OFFSET, SHARD_SALT.as_bytes()));',
  );

describe('An experiment from an idea to its verdict', () => {
  let api: PerfLabApi;
  const ideasDoc = () => vscode.Uri.joinPath(folder(), 'docs/perf/test-experiment-ideas.md');
  const lib = () => vscode.Uri.joinPath(folder(), 'rust/wordfreq/src/lib.rs').fsPath;
  const settings = () => vscode.workspace.getConfiguration('perfLab');
  let original = '';

  before(async function () {
    api = await vscode.extensions.getExtension<PerfLabApi>('perf-lab.perf-lab')!.activate();
    if (!existsSync(vscode.Uri.joinPath(folder(), 'rust/target/criterion').fsPath) && !existsSync(vscode.Uri.joinPath(folder(), 'rust/target/release').fsPath)) this.skip();
    original = readFileSync(lib(), 'utf8');
    await settings().update('experiments.directory', '.perf-lab/test-experiments', vscode.ConfigurationTarget.Global);
    // Record Baseline and Run Candidate take perfLab.experiments.runsPerSide (10) runs a side:
    // short ones, the verdict is judged over the runs' medians.
    await settings().update('benchmarks.criterionArgs', ['--warm-up-time', '1', '--measurement-time', '1', '--noplot'], vscode.ConfigurationTarget.Global);
    await settings().update('experiments.correctnessCommand', 'cd rust && cargo test --release --quiet -p wordfreq', vscode.ConfigurationTarget.Global);
    await vscode.workspace.fs.writeFile(
      ideasDoc(),
      Buffer.from(
        '# Experiment ideas\n\n| Idea | Status | Improvements | Notes |\n|------|--------|--------------|-------|\n| Hash the salt once (experiment test) | To do | | `rust/wordfreq/src/lib.rs:shard_of` |\n',
      ),
    );
  });

  after(async function () {
    this.timeout(300_000);
    writeFileSync(lib(), original);
    // cargo bench rebuilt the wordfreq binary with the fix: rebuild it from the restored source.
    execFileSync('cargo', ['build', '--release', '--quiet'], { cwd: vscode.Uri.joinPath(folder(), 'rust').fsPath, stdio: 'ignore' });
    execFileSync('cargo', ['bench', '--no-run', '--quiet'], { cwd: vscode.Uri.joinPath(folder(), 'rust').fsPath, stdio: 'ignore' });
    await settings().update('experiments.directory', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('benchmarks.criterionArgs', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('experiments.correctnessCommand', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('experiments.profile', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('experiments.runsPerSide', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('experiments.instructions', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('experiments.metric', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(ideasDoc());
  });

  it('measures a real fix: baseline, change, candidate, KEEP, verdict written into the idea', async function () {
    this.timeout(400_000); // 10 runs a side of ~3 s each, cargo test, and the builds
    const idea = await waitFor('the idea', () => api.ideas.allIdeas().find((entry) => entry.idea.title === 'Hash the salt once (experiment test)'));
    const benchmark = shardOfBenchmark();
    const experimentFolder = await vscode.commands.executeCommand<string>('perfLab.newExperiment', idea as IdeaNode, { benchmark });
    assert.match(experimentFolder, /\.perf-lab\/test-experiments\/\d{3}-hash-the-salt-once-experiment-test$/);
    assert.equal(await vscode.commands.executeCommand('perfLab.recordBaseline'), true);

    // The fix the idea proposes: hash the salt once.
    const fixed = saltHashedOnce(original);
    assert.notEqual(fixed, original, 'the code to fix is where the idea says');
    writeFileSync(lib(), fixed);
    assert.equal(await vscode.commands.executeCommand('perfLab.runCandidate'), true);
    // Ten timed runs a side (the build before them is not timed); the candidate's correctness
    // command ran once, before its runs, and passed.
    const runs = (JSON.parse(readFileSync(`${experimentFolder}/experiment.json`, 'utf8')) as Experiment).runs;
    assert.deepEqual(
      runs.map((run) => run.side),
      [...Array(10).fill('baseline'), ...Array(10).fill('candidate')],
    );
    assert.ok(
      runs.every((run) => run.seconds! > 1 && run.seconds! < 60 && run.results[0]!.samples.length >= 10),
      runs.map((run) => run.seconds).join(', '),
    );
    assert.deepEqual(runs[10]!.correctness, { command: 'cd rust && cargo test --release --quiet -p wordfreq', exitCode: 0 });
    assert.deepEqual(runs.filter((run) => run.correctness).length, 1, 'checked once, the baseline not at all');

    const comparison = await vscode.commands.executeCommand<{ verdict: string; rows: { deltaPct: number; basis: string; baseline: { n: number }; candidate: { n: number } }[] }>(
      'perfLab.compareExperiment',
    );
    assert.equal(comparison.verdict, 'KEEP');
    assert.ok(comparison.rows[0]!.deltaPct < -50, `${comparison.rows[0]!.deltaPct}%`);
    assert.deepEqual([comparison.rows[0]!.basis, comparison.rows[0]!.baseline.n, comparison.rows[0]!.candidate.n], ['runs', 10, 10]);
    const verdictFile = vscode.Uri.file(`${experimentFolder}/verdict.md`);
    const report = Buffer.from(await vscode.workspace.fs.readFile(verdictFile)).toString('utf8');
    assert.match(report, /Verdict: \*\*KEEP\*\* for the idea "Hash the salt once \(experiment test\)"/);
    assert.match(report, /Thresholds: docs\/perf\/methodology\.md \(lines \d+/, "the thresholds are the workspace methodology's");
    const tracker = readFileSync(`${experimentFolder}/../TRACKER.md`, 'utf8');
    assert.match(
      tracker,
      /\| \[\d{3}-hash-the-salt-once-experiment-test\]\(\d{3}-hash-the-salt-once-experiment-test\/verdict\.md\) \| Hash the salt once \(experiment test\) \|.*\| \*\*KEEP\*\* \| -\d+\.\d% \|/,
    );

    assert.equal(await vscode.commands.executeCommand('perfLab.decideExperiment'), true);
    const document = Buffer.from(await vscode.workspace.fs.readFile(ideasDoc())).toString('utf8');
    const row = document.split('\n').find((line) => line.startsWith('| Hash the salt once'))!;
    assert.match(
      row,
      /^\| Hash the salt once \(experiment test\) \| KEEP +\| -\d+\.\d% median \[-\d+\.\d%, -\d+\.\d%\], p(=[\d.e-]+| < 1e-16) \(\d{3}-hash-the-salt-once-experiment-test\) \| `rust\/wordfreq\/src\/lib\.rs:shard_of` \|$/,
    );
  });

  it('compares HEAD with the working tree interleaved, each built in a git worktree, and profiles both sides', async function () {
    this.timeout(600_000); // the first build of a fresh worktree compiles criterion (~45 s here)
    await settings().update('experiments.profile', true, vscode.ConfigurationTarget.Global);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: folder().fsPath, encoding: 'utf8' }).trim();
    const committed = execFileSync('git', ['show', `HEAD:./rust/wordfreq/src/lib.rs`], { cwd: folder().fsPath, encoding: 'utf8' });
    if (committed !== original) this.skip(); // HEAD must hold the slow code the working tree fixes
    writeFileSync(lib(), saltHashedOnce(original));
    const benchmark = shardOfBenchmark();
    // Judged over runs: 10 rounds (the methodology's 10 runs a side) of 1 s criterion runs.
    await settings().update('benchmarks.criterionArgs', ['--warm-up-time', '1', '--measurement-time', '1', '--noplot'], vscode.ConfigurationTarget.Global);
    const comparison = await vscode.commands.executeCommand<{ verdict: string; rows: { deltaPct: number; basis: string; baseline: { n: number } }[] } | undefined>(
      'perfLab.compareRevisions',
      undefined,
      {
        benchmark,
        baseline: 'HEAD',
        candidate: 'working tree',
        rounds: 10,
        title: 'HEAD vs the fixed working tree',
      },
    );
    assert.ok(comparison, 'the comparison finished');
    assert.equal(comparison.verdict, 'KEEP');
    assert.ok(comparison.rows[0]!.deltaPct < -50, `${comparison.rows[0]!.deltaPct}%`);
    assert.deepEqual([comparison.rows[0]!.basis, comparison.rows[0]!.baseline.n], ['runs', 10]);

    const experimentFolder = api.experiments.active!;
    const experiment = JSON.parse(readFileSync(`${experimentFolder}/experiment.json`, 'utf8')) as Experiment;
    const snapshot = experiment.revisions!.candidate.commit;
    assert.deepEqual(experiment.revisions, { baseline: { ref: 'HEAD', commit: head }, candidate: { ref: 'working tree', commit: snapshot }, rounds: 10 });
    // The working tree was measured from a snapshot commit holding the fix, on top of HEAD.
    const git = (...args: string[]) => execFileSync('git', args, { cwd: folder().fsPath, encoding: 'utf8' }).trim();
    assert.equal(git('rev-parse', `${snapshot}^`), head);
    assert.match(git('show', `${snapshot}:./rust/wordfreq/src/lib.rs`), /SALTED\.get_or_init/);
    // A B A B …, each side from its own worktree at its commit.
    assert.deepEqual(
      experiment.runs.map((run) => run.side),
      Array.from({ length: 10 }, () => ['baseline', 'candidate']).flat(),
    );
    assert.ok(
      experiment.runs.every((run) => run.commit === (run.side === 'baseline' ? head : snapshot) && run.dirty === false),
      JSON.stringify(experiment.runs.map((run) => [run.commit, run.dirty])),
    );
    assert.deepEqual(experiment.runs[1]!.correctness, { command: 'cd rust && cargo test --release --quiet -p wordfreq', exitCode: 0 });
    assert.ok(experiment.runs.every((run) => run.results[0]!.samples.length >= 10));
    for (const [side, commit] of [
      ['a', head],
      ['b', snapshot],
    ] as const) {
      assert.equal(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: vscode.Uri.joinPath(folder(), '.perf-lab/worktrees', side).fsPath, encoding: 'utf8' }).trim(), commit);
    }
    assert.match(
      readFileSync(`${experimentFolder}/verdict.md`, 'utf8'),
      /Revisions: baseline `HEAD` \([0-9a-f]{10}\), candidate the working tree \(snapshot [0-9a-f]{10}\), measured interleaved \(baseline, candidate, baseline, …\) in 10 rounds\./,
    );
    // The user's repository does not see Perf Lab's worktrees or results.
    assert.equal(git('status', '--porcelain', '--', '.perf-lab'), '');

    // Both sides were profiled: their differential flame graph shows the salt hashing gone.
    assert.ok(existsSync(`${experimentFolder}/profiles/baseline.perf.txt`) && existsSync(`${experimentFolder}/profiles/candidate.perf.txt`));
    const panel = (await api.experiments.showDifferential(experimentFolder))!;
    const result = await waitFor('the differential tree', () => (panel.lastResult?.diff ? panel.lastResult : undefined), 30_000);
    assert.equal(result.diff!.baselineTitle, 'baseline.perf.txt');
    assert.equal(result.title, 'candidate.perf.txt');
    const deltas: number[] = [];
    const walk = (node: typeof result.tree) => {
      deltas.push(node.delta ?? 0);
      node.children.forEach(walk);
    };
    walk(result.tree);
    assert.ok(deltas.some((delta) => delta < 0) && deltas.some((delta) => delta > 0), 'some stacks shrank, others grew');
  });

  it('REJECT: a faster candidate that breaks `cargo test` is measured once and judged by its correctness', async function () {
    this.timeout(600_000);
    await settings().update('experiments.profile', false, vscode.ConfigurationTarget.Global);
    const committed = execFileSync('git', ['show', `HEAD:./rust/wordfreq/src/lib.rs`], { cwd: folder().fsPath, encoding: 'utf8' });
    if (committed !== original) this.skip();
    // "Skip the modulo": cheaper, and shards out of range (shards_are_stable_and_in_range fails).
    const broken = original.replace('fnv1a(salted, word.as_bytes()) % shards', 'fnv1a(salted, word.as_bytes())');
    assert.notEqual(broken, original, 'the example still has the line this test changes');
    writeFileSync(lib(), broken);
    const benchmark = shardOfBenchmark();
    const comparison = await vscode.commands.executeCommand<{ verdict: string; reason?: string; rows: unknown[] } | undefined>('perfLab.compareRevisions', undefined, {
      benchmark,
      baseline: 'HEAD',
      candidate: 'working tree',
      rounds: 10,
      title: 'Skip the modulo (breaks the tests)',
    });
    assert.ok(comparison, 'the comparison finished');
    assert.equal(comparison.verdict, 'REJECT');
    assert.match(comparison.reason!, /the correctness check `cd rust && cargo test --release --quiet -p wordfreq` failed on the candidate \(exit code \d+\)/);
    const experimentFolder = api.experiments.active!;
    const experiment = JSON.parse(readFileSync(`${experimentFolder}/experiment.json`, 'utf8')) as Experiment;
    // No rounds were spent on a wrong candidate: one candidate run, checked, with no results.
    assert.deepEqual(
      experiment.runs.map((run) => [run.side, run.results.length, run.correctness?.exitCode === 0]),
      [['candidate', 0, false]],
    );
    assert.match(readFileSync(`${experimentFolder}/verdict.md`, 'utf8'), /Verdict: \*\*REJECT\*\*: the correctness check/);
    writeFileSync(lib(), original);
  });

  it("KILL: a candidate that hangs is stopped at 1.1x the baseline's time, its processes with it", async function () {
    this.timeout(300_000);
    // Two runs a side keep the test short; the verdict does not need statistics.
    await settings().update('experiments.runsPerSide', 2, vscode.ConfigurationTarget.Global);
    writeFileSync(lib(), original);
    const benches = vscode.Uri.joinPath(folder(), 'rust/wordfreq/benches/criterion_benches.rs');
    const benchesSource = readFileSync(benches.fsPath, 'utf8');
    const benchmark: BenchmarkTarget = { uri: benches.toString(), kind: 'criterion', id: 'shard_of' };
    const experimentFolder = await vscode.commands.executeCommand<string>('perfLab.newExperiment', undefined, { benchmark, title: 'A shard_of benchmark that never returns' });
    try {
      assert.equal(await vscode.commands.executeCommand('perfLab.recordBaseline'), true);
      // The candidate's benchmark never returns (cargo test, the correctness check, still passes).
      const hanging = benchesSource.replace(
        'b.iter(|| shard_of(black_box("porvidex"), SHARDS))',
        'b.iter(|| { std::thread::sleep(std::time::Duration::from_secs(3600)); shard_of(black_box("porvidex"), SHARDS) })',
      );
      assert.notEqual(hanging, benchesSource);
      writeFileSync(benches.fsPath, hanging);
      assert.equal(await vscode.commands.executeCommand('perfLab.runCandidate'), true);
    } finally {
      writeFileSync(benches.fsPath, benchesSource);
    }
    const experiment = JSON.parse(readFileSync(`${experimentFolder}/experiment.json`, 'utf8')) as Experiment;
    const baselineSeconds = Math.max(...experiment.runs.filter((run) => run.side === 'baseline').map((run) => run.seconds!));
    const candidates = experiment.runs.filter((run) => run.side === 'candidate');
    // One candidate run, stopped at its limit (1.1 x the baseline's longest run + 2 s of grace): no second run.
    assert.deepEqual(
      candidates.map((run) => [run.overLimit, run.results.length, run.correctness?.exitCode]),
      [[true, 0, 0]],
    );
    const limit = baselineSeconds * 1.1 + 2;
    assert.ok(candidates[0]!.seconds! >= limit && candidates[0]!.seconds! < limit + 10, `stopped after ${candidates[0]!.seconds} s, limit ${limit} s`);
    // The benchmark process is gone with its task (cargo's child, not only the shell).
    await waitFor(
      'the hanging benchmark to be gone',
      () => {
        try {
          execFileSync('pgrep', ['-f', 'criterion_benches-.*shard_of'], { encoding: 'utf8' });
          return undefined;
        } catch {
          return true; // pgrep exits 1: no such process
        }
      },
      15_000,
    );
    const comparison = await vscode.commands.executeCommand<{ verdict: string; reason?: string }>('perfLab.compareExperiment');
    assert.equal(comparison.verdict, 'KILL');
    assert.match(comparison.reason!, /^the candidate ran past 1\.1x the baseline's time budget \(\d+\.\d s, plus 2 s of grace\)$/);
    assert.match(readFileSync(`${experimentFolder}/verdict.md`, 'utf8'), /Verdict: \*\*KILL\*\*: the candidate ran past/);
  });

  it('instructions decide: callgrind counts the wordfreq command on each side, the fix is a KEEP by its counts', async function () {
    this.timeout(400_000);
    await settings().update('experiments.runsPerSide', 2, vscode.ConfigurationTarget.Global);
    await settings().update('experiments.instructions', 'decide', vscode.ConfigurationTarget.Global);
    writeFileSync(lib(), original);
    // The perfLab.commands benchmark of the example workspace: wordfreq over light, typical and heavy.
    const benchmark: BenchmarkTarget = { uri: vscode.Uri.joinPath(folder(), '.vscode/settings.json').toString(), kind: 'hyperfine', id: 'wordfreq' };
    const experimentFolder = await vscode.commands.executeCommand<string>('perfLab.newExperiment', undefined, { benchmark, title: 'Hash the salt once, counted' });
    assert.equal(await vscode.commands.executeCommand('perfLab.recordBaseline'), true);
    writeFileSync(lib(), saltHashedOnce(original));
    try {
      assert.equal(await vscode.commands.executeCommand('perfLab.runCandidate'), true);
    } finally {
      writeFileSync(lib(), original);
    }
    const experiment = JSON.parse(readFileSync(`${experimentFolder}/experiment.json`, 'utf8')) as Experiment;
    // Two timed runs a side, then one count a side: each input's command counted apart.
    assert.deepEqual(
      experiment.runs.map((run) => [run.side, run.metric ?? 'time']),
      [
        ['baseline', 'time'],
        ['baseline', 'time'],
        ['baseline', 'instructions'],
        ['candidate', 'time'],
        ['candidate', 'time'],
        ['candidate', 'instructions'],
      ],
    );
    const counts = experiment.runs.filter((run) => run.metric === 'instructions').map((run) => run.results.map((result) => [result.name, result.unit]));
    assert.deepEqual(
      counts[0],
      ['light', 'typical', 'heavy'].map((input) => [`wordfreq input=${input}`, 'instructions']),
    );

    const comparison = await vscode.commands.executeCommand<{
      verdict: string;
      decidedBy: string;
      rows: { name: string; verdict: string }[];
      instructions: { name: string; deltaPct: number; verdict: string }[];
    }>('perfLab.compareExperiment');
    assert.equal(comparison.decidedBy, 'instructions');
    // Two timed runs a side are too few for time to say anything (NOISY); the counts need no more.
    assert.ok(
      comparison.rows.every((row) => row.verdict === 'NOISY'),
      JSON.stringify(comparison.rows.map((row) => row.verdict)),
    );
    assert.equal(comparison.verdict, 'KEEP', JSON.stringify(comparison.instructions));
    for (const row of comparison.instructions) assert.ok(row.deltaPct < -10 && row.verdict === 'KEEP', `${row.name}: ${row.deltaPct}%`);
    const report = readFileSync(`${experimentFolder}/verdict.md`, 'utf8');
    assert.match(report, /^Instructions \(callgrind, deterministic: one count a side\), which decide the verdict:$/m);
    assert.match(report, /^\| wordfreq input=heavy \| [\d,]+ \| [\d,]+ \| -\d+\.\d\d% \| KEEP \|$/m);
    console.log(
      report
        .split('\n')
        .filter((line) => line.includes('input='))
        .join('\n'),
    );
  });

  it('peak memory decides: each timed run measured under GNU time, the index fix a KEEP by its peak memory', async function () {
    this.timeout(400_000);
    if (!existsSync('/usr/bin/time')) this.skip(); // examples/native-core/setup.sh installs Debian's time
    await settings().update('experiments.runsPerSide', 10, vscode.ConfigurationTarget.Global);
    await settings().update('experiments.instructions', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('experiments.metric', 'peak memory', vscode.ConfigurationTarget.Global);
    writeFileSync(lib(), original);
    // The example's memory hot spot, a perfLab.commands benchmark: wordfreq index inputs/typical.log error.
    const benchmark: BenchmarkTarget = { uri: vscode.Uri.joinPath(folder(), '.vscode/settings.json').toString(), kind: 'hyperfine', id: 'wordfreq-index' };
    const experimentFolder = await vscode.commands.executeCommand<string>('perfLab.newExperiment', undefined, { benchmark, title: 'Index line numbers, not copies' });
    assert.equal(await vscode.commands.executeCommand('perfLab.recordBaseline'), true);
    writeFileSync(lib(), lineNumbersIndexed(original));
    try {
      assert.equal(await vscode.commands.executeCommand('perfLab.runCandidate'), true);
    } finally {
      writeFileSync(lib(), original);
    }
    const experiment = JSON.parse(readFileSync(`${experimentFolder}/experiment.json`, 'utf8')) as Experiment;
    const peaks = (side: string) => experiment.runs.filter((run) => run.side === side).map((run) => run.peakMemoryBytes ?? 0);
    assert.equal(peaks('baseline').length, 10);
    assert.ok(
      peaks('baseline').every((bytes) => bytes > 10e6),
      `baseline peaks ${peaks('baseline')}`,
    );
    const comparison = await vscode.commands.executeCommand<{ verdict: string; decidedBy: string; memory: { deltaPct: number; verdict: string } }>('perfLab.compareExperiment');
    assert.equal(comparison.decidedBy, 'peak memory');
    assert.equal(comparison.verdict, 'KEEP', JSON.stringify(comparison.memory));
    assert.ok(comparison.memory.deltaPct < -30, `peak memory ${comparison.memory.deltaPct}%`);
    const report = readFileSync(`${experimentFolder}/verdict.md`, 'utf8');
    assert.match(report, /^Peak memory \(GNU time, each run's largest process; 10 baseline and 10 candidate runs\): [\d.]+ MB -> [\d.]+ MB, -\d+\.\d\d% .*KEEP, which decides the verdict\.$/m);
    console.log(report.split('\n').find((line) => line.startsWith('Peak memory')));
  });
});
