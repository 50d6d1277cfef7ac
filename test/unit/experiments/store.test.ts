import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  appendRun,
  compareExperiment,
  createExperiment,
  DamagedExperimentError,
  environmentYaml,
  experimentFolders,
  experimentMarkdown,
  listExperiments,
  readExperiment,
  samplesBySide,
  saveVerdict,
} from '../../../src/core/experiments';
import { compare, seededRandom } from '../../../src/core/stats';

const benchmark = { uri: 'file:///w/benches/b.rs', kind: 'criterion', id: 'shard_of' };
function series(centre: number, seed: number, n = 30): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => centre * (1 + (random() - 0.5) / 50));
}

describe('experiments on disk', () => {
  it('numbers folders, appends runs without losing earlier ones, and leaves no temporary files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const first = createExperiment(dir, { title: 'Hash the shard salt once', benchmark }, 'os: "test"\n');
    const second = createExperiment(dir, { title: 'Another', benchmark }, 'os: "test"\n');
    assert.deepEqual([first.experiment.id, second.experiment.id], ['001-hash-the-shard-salt-once', '002-another']);
    appendRun(first.folder, { side: 'baseline', at: 'a', results: [{ name: 'shard_of', unit: 'ns', samples: [1, 2] }] });
    appendRun(first.folder, { side: 'candidate', at: 'b', results: [{ name: 'shard_of', unit: 'ns', samples: [3] }] });
    assert.deepEqual(
      readExperiment(first.folder).runs.map((run) => run.side),
      ['baseline', 'candidate'],
    );
    assert.deepEqual(readdirSync(first.folder).sort(), ['environment.yaml', 'experiment.json']);
    assert.deepEqual(
      listExperiments(dir).map((entry) => entry.experiment.id),
      ['002-another', '001-hash-the-shard-salt-once'],
    );
    assert.deepEqual(readdirSync(dir).sort(), ['001-hash-the-shard-salt-once', '002-another', 'TRACKER.md']);
  });

  it('compares pooled runs per side into a verdict and a markdown report', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const { folder } = createExperiment(dir, { title: 'Salt once', benchmark, idea: { document: 'docs/perf/ideas.md', id: 'x', title: 'Hash the shard salt once' } }, '');
    appendRun(folder, { side: 'baseline', at: 'a', results: [{ name: 'shard_of', unit: 'ns', samples: series(440, 1, 15) }] });
    appendRun(folder, { side: 'baseline', at: 'b', results: [{ name: 'shard_of', unit: 'ns', samples: series(440, 2, 15) }] });
    appendRun(folder, { side: 'candidate', at: 'c', results: [{ name: 'shard_of', unit: 'ns', samples: series(12, 3, 30) }] });
    const comparison = compareExperiment(readExperiment(folder));
    assert.equal(comparison.verdict, 'KEEP');
    assert.equal(comparison.rows[0]!.baseline.n, 30, 'one candidate run: the samples of the two baseline runs are pooled');
    assert.equal(comparison.rows[0]!.basis, 'samples');
    const markdown = experimentMarkdown(readExperiment(folder), comparison);
    assert.match(markdown, /^# 001-salt-once: Salt once\n\nVerdict: \*\*KEEP\*\* for the idea "Hash the shard salt once"/);
    assert.match(markdown, /\| shard_of \| 440\.\d ns \| 12\.\d+ ns \| -97\.\d\d% \|/);
    saveVerdict(folder, { verdict: 'KEEP', deltaPct: comparison.rows[0]!.deltaPct, ci: comparison.rows[0]!.ci, p: comparison.rows[0]!.p }, markdown);
    assert.equal(readExperiment(folder).verdict!.verdict, 'KEEP');
    assert.equal(readFileSync(path.join(folder, 'verdict.md'), 'utf8'), markdown);
    // TRACKER.md lists it with its verdict, linking the report.
    const tracker = readFileSync(path.join(dir, 'TRACKER.md'), 'utf8').split('\n');
    const row = tracker.find((line) => line.startsWith('| [001-salt-once]'));
    assert.match(row!, /^\| \[001-salt-once\]\(001-salt-once\/verdict\.md\) \| Salt once \| Hash the shard salt once \| shard_of \| 2 \/ 1 \| \*\*KEEP\*\* \| -97\.\d% \| c \|$/);
  });

  it('a change that does nothing: no detectable change', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const { folder } = createExperiment(dir, { title: 'Inline tokenize', benchmark }, '');
    appendRun(folder, { side: 'baseline', at: 'a', results: [{ name: 'shard_of', unit: 'ns', samples: series(440, 5) }] });
    appendRun(folder, { side: 'candidate', at: 'b', results: [{ name: 'shard_of', unit: 'ns', samples: series(440, 6) }] });
    const comparison = compareExperiment(readExperiment(folder));
    assert.equal(comparison.verdict, 'DISCARD');
    assert.match(comparison.rows[0]!.reason, /no detectable change/);
  });

  describe('interleaved rounds are judged by run, not by sample', () => {
    // Each run gets its own offset (the machine's state while it ran: other processes, frequency,
    // cache and memory layout), shared by all of its samples; the samples only jitter around it.
    // That is what criterion runs on a busy machine look like.
    function rounds(experimentFolder: string, count: number, candidateFactor: number, seed: number): void {
      const random = seededRandom(seed);
      const run = (centre: number) => {
        const offset = 1 + (random() - 0.5) * 0.06;
        return Array.from({ length: 100 }, () => centre * offset * (1 + (random() - 0.5) / 100));
      };
      for (let round = 0; round < count; round++) {
        appendRun(experimentFolder, { side: 'baseline', at: `a${round}`, results: [{ name: 'shard_of', unit: 'ns', samples: run(440) }] });
        appendRun(experimentFolder, { side: 'candidate', at: `b${round}`, results: [{ name: 'shard_of', unit: 'ns', samples: run(440 * candidateFactor) }] });
      }
    }

    it('a change that does nothing: no detectable change, where pooling the samples would call it significant', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
      const { folder } = createExperiment(dir, { title: 'Nothing', benchmark }, '');
      rounds(folder, 10, 1, 21);
      const experiment = readExperiment(folder);
      const pooled = compare(samplesBySide(experiment, 'baseline').get('shard_of')!.samples, samplesBySide(experiment, 'candidate').get('shard_of')!.samples);
      assert.ok(pooled.p < 0.05, `pooled samples: p ${pooled.p} (the false positive this guards against)`);
      const comparison = compareExperiment(experiment);
      const row = comparison.rows[0]!;
      assert.equal(row.basis, 'runs');
      assert.deepEqual([row.baseline.n, row.candidate.n, row.values.baseline.length], [10, 10, 10]);
      assert.equal(comparison.verdict, 'DISCARD');
      assert.match(row.reason, /no detectable change/);
      const markdown = experimentMarkdown(experiment, comparison);
      assert.match(markdown, /\| 10 \/ 10 runs \| DISCARD \|/);
      assert.match(markdown, /Statistics over each run's median \(10 baseline and 10 candidate runs\)/);
    });

    it('a real 10% improvement: KEEP over ten runs a side', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
      const { folder } = createExperiment(dir, { title: 'Faster', benchmark }, '');
      rounds(folder, 10, 0.9, 22);
      const comparison = compareExperiment(readExperiment(folder));
      assert.equal(comparison.verdict, 'KEEP', comparison.rows[0]!.reason);
      assert.ok(comparison.rows[0]!.deltaPct < -7 && comparison.rows[0]!.deltaPct > -13);
    });

    it('fewer rounds than the methodology asks: NOISY, whatever the samples say', () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
      const { folder } = createExperiment(dir, { title: 'Three rounds', benchmark }, '');
      rounds(folder, 3, 0.5, 23);
      const comparison = compareExperiment(readExperiment(folder));
      assert.equal(comparison.verdict, 'NOISY');
      assert.match(comparison.rows[0]!.reason, /fewer than 10 runs/);
    });
  });

  it("follows the team's thresholds", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const { folder } = createExperiment(dir, { title: 'Salt once', benchmark }, '');
    appendRun(folder, { side: 'baseline', at: 'a', results: [{ name: 'shard_of', unit: 'ns', samples: series(440, 7) }] });
    appendRun(folder, { side: 'candidate', at: 'b', results: [{ name: 'shard_of', unit: 'ns', samples: series(12, 8) }] });
    assert.equal(compareExperiment(readExperiment(folder)).verdict, 'KEEP');
    const strict = compareExperiment(readExperiment(folder), { minRuns: 50 });
    assert.equal(strict.verdict, 'NOISY');
    assert.match(strict.rows[0]!.reason, /fewer than 50 runs/);
  });

  it('REJECT when the correctness command failed on the candidate, however fast it was', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const { folder } = createExperiment(dir, { title: 'Skip the salt', benchmark }, '');
    appendRun(folder, { side: 'baseline', at: 'a', seconds: 10, results: [{ name: 'shard_of', unit: 'ns', samples: series(440, 9) }] });
    appendRun(folder, { side: 'candidate', at: 'b', seconds: 9, correctness: { command: 'cargo test', exitCode: 101 }, results: [{ name: 'shard_of', unit: 'ns', samples: series(12, 10) }] });
    const comparison = compareExperiment(readExperiment(folder));
    assert.equal(comparison.verdict, 'REJECT');
    assert.match(comparison.reason!, /`cargo test` failed on the candidate \(exit code 101\)/);
    assert.match(experimentMarkdown(readExperiment(folder), comparison), /Verdict: \*\*REJECT\*\*: the correctness check/);
  });

  it("KILL when the candidate ran past killFactor x the baseline's time, or was stopped over its limit", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const slow = createExperiment(dir, { title: 'Slow candidate', benchmark }, '').folder;
    appendRun(slow, { side: 'baseline', at: 'a', seconds: 10, results: [{ name: 'shard_of', unit: 'ns', samples: series(440, 11) }] });
    appendRun(slow, { side: 'candidate', at: 'b', seconds: 10.5, results: [{ name: 'shard_of', unit: 'ns', samples: series(12, 12) }] });
    assert.equal(compareExperiment(readExperiment(slow)).verdict, 'KEEP', '1.05x is within the 1.10x budget');
    // 13.5 s > 1.1 x 10 s + 2 s of grace
    appendRun(slow, { side: 'candidate', at: 'c', seconds: 13.5, results: [{ name: 'shard_of', unit: 'ns', samples: series(12, 13) }] });
    assert.equal(compareExperiment(readExperiment(slow)).verdict, 'KILL');
    assert.equal(compareExperiment(readExperiment(slow), { killFactor: 1.5 }).verdict, 'KEEP');

    const stopped = createExperiment(dir, { title: 'Hangs', benchmark }, '').folder;
    appendRun(stopped, { side: 'baseline', at: 'a', seconds: 10, results: [{ name: 'shard_of', unit: 'ns', samples: series(440, 14) }] });
    appendRun(stopped, { side: 'candidate', at: 'b', seconds: 11, overLimit: true, results: [] });
    const comparison = compareExperiment(readExperiment(stopped));
    assert.deepEqual([comparison.verdict, comparison.rows.length], ['KILL', 0]);
    assert.match(comparison.reason!, /past 1\.1x the baseline's time budget \(10\.0 s, plus 2 s of grace\)/);
    assert.doesNotMatch(experimentMarkdown(readExperiment(stopped), comparison), /NaN/);
  });

  it('says what is missing before a comparison', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const { folder } = createExperiment(dir, { title: 'x', benchmark }, '');
    assert.throws(() => compareExperiment(readExperiment(folder)), /record a baseline and run a candidate/);
  });

  it('records the environment', () => {
    const yaml = environmentYaml(path.resolve(__dirname, '../../../..'));
    for (const key of ['hostname', 'os', 'cpu', 'cores', 'node', 'rustc', 'commit', 'dirty']) assert.match(yaml, new RegExp(`^${key}: `, 'm'));
    assert.ok(existsSync(path.resolve(__dirname, '../../../..', 'package.json')));
  });

  it('two processes appending runs to one experiment keep all of them (the store locks)', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const { folder } = createExperiment(dir, { title: 'contended', benchmark }, '');
    const store = path.resolve(__dirname, '../../../src/core/experiments/store.js');
    const writer = (side: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            '-e',
            `const s = require(${JSON.stringify(store)}); for (let i = 0; i < 300; i++) s.appendRun(${JSON.stringify(folder)}, { side: '${side}', at: new Date().toISOString(), results: [{ name: 'b', unit: 'ns', samples: [i + 1] }] });`,
          ],
          { stdio: 'inherit' },
        );
        child.on('exit', resolve);
      });
    assert.deepEqual(await Promise.all([writer('baseline'), writer('candidate')]), [0, 0]);
    const runs = readExperiment(folder).runs;
    assert.deepEqual([runs.filter((run) => run.side === 'baseline').length, runs.filter((run) => run.side === 'candidate').length], [300, 300]);
    assert.deepEqual(
      readdirSync(folder).filter((name) => /\.(tmp|lock)$/.test(name)),
      [],
    );
  });

  it('takes over the lock of a process that died, and removes the temporary files it left', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const { folder } = createExperiment(dir, { title: 'orphaned', benchmark }, '');
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(path.join(folder, 'experiment.json.lock'), String(dead));
    writeFileSync(path.join(folder, `experiment.json.${dead}.tmp`), '{"half": ');
    appendRun(folder, { side: 'baseline', at: new Date().toISOString(), results: [{ name: 'b', unit: 'ns', samples: [1] }] });
    assert.equal(readExperiment(folder).runs.length, 1);
    assert.deepEqual(readdirSync(folder).sort(), ['environment.yaml', 'experiment.json']);
  });

  it('reports a damaged experiment.json in the list and TRACKER.md instead of hiding it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    createExperiment(dir, { title: 'fine', benchmark }, '');
    const { folder } = createExperiment(dir, { title: 'broken', benchmark }, '');
    writeFileSync(path.join(folder, 'experiment.json'), '{"id": "002-broken", "runs": [');
    assert.throws(
      () => readExperiment(folder),
      (error: unknown) => error instanceof DamagedExperimentError && error.message.startsWith(`${folder}/experiment.json: not valid JSON`),
    );
    const entries = experimentFolders(dir);
    assert.deepEqual(
      entries.map((entry) => ('experiment' in entry ? entry.experiment.id : `damaged ${path.basename(entry.folder)}`)),
      ['damaged 002-broken', '001-fine'],
    );
    createExperiment(dir, { title: 'third', benchmark }, '');
    assert.match(readFileSync(path.join(dir, 'TRACKER.md'), 'utf8'), /^\| 002-broken \| ⚠ damaged: not valid JSON/m);
  });

  it('runs nothing a workspace can redirect when it is not trusted (a core.fsmonitor script)', () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-hostile-'));
    const marker = path.join(repo, 'fsmonitor-ran');
    execFileSync('git', ['init', '--quiet'], { cwd: repo });
    writeFileSync(path.join(repo, 'monitor.sh'), `#!/bin/sh\necho ran >> '${marker}'\nexit 1\n`, { mode: 0o755 });
    execFileSync('git', ['config', 'core.fsmonitor', path.join(repo, 'monitor.sh')], { cwd: repo });
    writeFileSync(path.join(repo, 'a.txt'), 'a');
    execFileSync('git', ['add', 'a.txt'], { cwd: repo });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'core.fsmonitor=false', 'commit', '--quiet', '-m', 'a'], { cwd: repo });
    rmSync(marker, { force: true }); // git add above ran it already
    const untrusted = environmentYaml(repo, { runTools: false });
    assert.ok(!existsSync(marker), 'the fsmonitor script ran for an untrusted workspace');
    assert.match(untrusted, /^# Toolchains and commit not recorded: the workspace was not trusted\.$/m);
    assert.match(untrusted, /^commit: null$/m);
    assert.match(untrusted, /^cores: \d+$/m);
    // The same workspace trusted: git runs, and with it the workspace's own hook.
    environmentYaml(repo, { runTools: true });
    assert.ok(existsSync(marker), 'the check above could not fail: git did not run the fsmonitor hook');
  });
});
