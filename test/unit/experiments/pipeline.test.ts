import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendInstructionCounts, createExperiment, MeasureSteps, measureRevisions, measureSide, readExperiment, Side, SidePlace, TimedRun } from '../../../src/core/experiments';

const benchmark = { uri: 'file:///ws/benches/b.rs', kind: 'criterion', id: 'shard_of' };

/** A new experiment folder (outside any git repository: no commit is recorded). */
function experimentFolder(): string {
  return createExperiment(mkdtempSync(path.join(os.tmpdir(), 'perf-lab-pipeline-')), { title: 'Salt once', benchmark }, '').folder;
}

/**
 * Steps that run nothing: each records what it was asked, and answers as told. `seconds` gives
 * each timed run its duration; a run whose limit it exceeds comes back over the limit (KILL).
 */
function fakeSteps(options: { correctnessExit?: number | null; seconds?: (side: Side, index: number) => number; cancelAfter?: number; buildFails?: boolean } = {}) {
  const calls: string[] = [];
  const counts: Record<Side, number> = { baseline: 0, candidate: 0 };
  let measured = 0;
  const steps: MeasureSteps = {
    build: async (place) => (calls.push(`build ${place.label ?? place.root}`), !options.buildFails),
    checkCorrectness: async (place) => {
      calls.push(`check ${place.label ?? place.root}`);
      return options.correctnessExit === undefined ? undefined : { command: 'cargo test', exitCode: options.correctnessExit };
    },
    measure: async (_place: SidePlace, side: Side, limit: number | undefined): Promise<TimedRun> => {
      const seconds = options.seconds?.(side, counts[side]) ?? 1;
      counts[side]++;
      measured++;
      calls.push(`run ${side}${limit === undefined ? '' : ` limit ${limit.toFixed(1)}`}`);
      return { results: [{ name: 'shard_of', unit: 'ns', samples: [seconds * 1e6] }], seconds, overLimit: limit !== undefined && seconds > limit };
    },
    countInstructions: async (_place, side) => void calls.push(`count ${side}`),
    profile: async (_place, side) => void calls.push(`profile ${side}`),
    correctnessFailed: () => void calls.push('correctness failed'),
    progress: () => undefined,
    cancelled: () => options.cancelAfter !== undefined && measured >= options.cancelAfter,
  };
  return { steps, calls };
}

describe('the experiment pipeline (no vscode)', () => {
  it('a baseline side: build, N timed runs appended, then the count and the profile', async () => {
    const folder = experimentFolder();
    const { steps, calls } = fakeSteps();
    assert.equal(await measureSide(folder, 'baseline', { root: '/ws' }, { runs: 3, killFactor: 1.1 }, steps), 'finished');
    assert.deepEqual(calls, ['build /ws', 'run baseline', 'run baseline', 'run baseline', 'count baseline', 'profile baseline']);
    const runs = readExperiment(folder).runs;
    assert.deepEqual(
      runs.map((run) => [run.side, run.seconds, run.results[0]!.samples[0]]),
      [
        ['baseline', 1, 1e6],
        ['baseline', 1, 1e6],
        ['baseline', 1, 1e6],
      ],
    );
  });

  it('a candidate is checked once before its runs, the check kept with its first run, its runs limited by the baseline', async () => {
    const folder = experimentFolder();
    await measureSide(folder, 'baseline', { root: '/ws' }, { runs: 2, killFactor: 1.1 }, fakeSteps({ seconds: () => 10 }).steps);
    const { steps, calls } = fakeSteps({ correctnessExit: 0 });
    assert.equal(await measureSide(folder, 'candidate', { root: '/ws' }, { runs: 2, killFactor: 1.1 }, steps), 'finished');
    // 10 s x 1.1 + 2 s of grace.
    assert.deepEqual(calls, ['build /ws', 'check /ws', 'run candidate limit 13.0', 'run candidate limit 13.0', 'count candidate', 'profile candidate']);
    const candidates = readExperiment(folder).runs.filter((run) => run.side === 'candidate');
    assert.deepEqual(
      candidates.map((run) => run.correctness),
      [{ command: 'cargo test', exitCode: 0 }, undefined],
    );
  });

  it('REJECT: a failed correctness check spends no run; KILL: a run past the limit ends the side', async () => {
    const rejected = experimentFolder();
    const failing = fakeSteps({ correctnessExit: 101 });
    assert.equal(await measureSide(rejected, 'candidate', { root: '/ws' }, { runs: 10, killFactor: 1.1 }, failing.steps), 'rejected');
    assert.deepEqual(failing.calls, ['build /ws', 'check /ws']);
    assert.deepEqual(
      readExperiment(rejected).runs.map((run) => [run.side, run.results.length, run.correctness?.exitCode]),
      [['candidate', 0, 101]],
    );

    const killed = experimentFolder();
    await measureSide(killed, 'baseline', { root: '/ws' }, { runs: 1, killFactor: 1.1 }, fakeSteps({ seconds: () => 1 }).steps);
    const slow = fakeSteps({ seconds: (_side, index) => (index === 1 ? 60 : 1) });
    assert.equal(await measureSide(killed, 'candidate', { root: '/ws' }, { runs: 10, killFactor: 1.1 }, slow.steps), 'killed');
    assert.equal(slow.calls.filter((call) => call.startsWith('run')).length, 2, 'no run after the one stopped over its limit');
    assert.equal(readExperiment(killed).runs.at(-1)!.overLimit, true);
  });

  it('a cancelled or failed side stops where it is and keeps the runs taken', async () => {
    const folder = experimentFolder();
    const { steps, calls } = fakeSteps({ cancelAfter: 2 });
    assert.equal(await measureSide(folder, 'baseline', { root: '/ws' }, { runs: 10, killFactor: 1.1 }, steps), 'stopped');
    assert.deepEqual(calls, ['build /ws', 'run baseline', 'run baseline']);
    assert.equal(readExperiment(folder).runs.length, 2);
    const broken = fakeSteps({ buildFails: true });
    assert.equal(await measureSide(experimentFolder(), 'baseline', { root: '/ws' }, { runs: 10, killFactor: 1.1 }, broken.steps), 'stopped');
    assert.deepEqual(broken.calls, ['build /ws']);
  });

  it('revisions: both built, the candidate checked once, runs interleaved, the check on its first run', async () => {
    const folder = experimentFolder();
    const places = { baseline: { root: '/wt/a', label: 'baseline HEAD' }, candidate: { root: '/wt/b', label: 'candidate working tree' } };
    const { steps, calls } = fakeSteps({ correctnessExit: 0 });
    assert.equal(await measureRevisions(folder, places, { rounds: 2, killFactor: 1.1 }, steps), 'finished');
    assert.deepEqual(calls, [
      'build baseline HEAD',
      'build candidate working tree',
      'check candidate working tree',
      'run baseline',
      'run candidate limit 3.1',
      'run baseline',
      'run candidate limit 3.1',
      'count baseline',
      'profile baseline',
      'count candidate',
      'profile candidate',
    ]);
    const runs = readExperiment(folder).runs;
    assert.deepEqual(
      runs.map((run) => run.side),
      ['baseline', 'candidate', 'baseline', 'candidate'],
    );
    assert.deepEqual(
      runs.map((run) => run.correctness?.exitCode),
      [undefined, 0, undefined, undefined],
    );
  });

  it('revisions REJECT: no rounds, and the caller is told (to name untracked inputs)', async () => {
    const folder = experimentFolder();
    const { steps, calls } = fakeSteps({ correctnessExit: 1 });
    const places = { baseline: { root: '/wt/a', label: 'baseline HEAD' }, candidate: { root: '/wt/b', label: 'candidate HEAD' } };
    assert.equal(await measureRevisions(folder, places, { rounds: 10, killFactor: 1.1 }, steps), 'rejected');
    assert.deepEqual(calls.slice(-2), ['check candidate HEAD', 'correctness failed']);
    assert.equal(calls.filter((call) => call.startsWith('run')).length, 0);
  });

  it("instruction counts: each command's callgrind files summed, one result per command", () => {
    const folder = experimentFolder();
    const output = (name: string, costs: number[]) => {
      const dir = path.join(folder, 'instructions', name);
      mkdirSync(dir, { recursive: true });
      // One file per process (the shell and the program), as --trace-children writes them.
      costs.forEach((cost, index) => writeFileSync(path.join(dir, `${index}.callgrind`), `events: Ir\nfn=main\n1 ${cost}\nsummary: ${cost}\n`));
      return dir;
    };
    appendInstructionCounts(folder, 'baseline', '/ws', [
      { name: 'wordfreq input=light', folder: output('1', [100, 2000]) },
      { name: 'wordfreq input=heavy', folder: output('2', [100, 9000]) },
    ]);
    const [run] = readExperiment(folder).runs;
    assert.equal(run!.metric, 'instructions');
    assert.deepEqual(run!.results, [
      { name: 'wordfreq input=light', unit: 'instructions', samples: [2100] },
      { name: 'wordfreq input=heavy', unit: 'instructions', samples: [9100] },
    ]);
  });
});
