import * as assert from 'node:assert/strict';
import { Experiment, ExperimentRun, sideSummary } from '../../../src/core/experiments';

const run = (side: ExperimentRun['side'], samples: number[], extra: Partial<ExperimentRun> = {}): ExperimentRun => ({
  side,
  at: '2026-12-03T00:00:00Z',
  results: [{ name: 'shard_of', unit: 'ns', samples }],
  ...extra,
});
const experiment = (runs: ExperimentRun[]): Experiment =>
  ({ id: '001-x', title: 'x', created: '2026-12-03T00:00:00Z', benchmark: { uri: 'file:///b.rs', kind: 'criterion', id: 'shard_of' }, runs }) as unknown as Experiment;

describe('what a finished side says', () => {
  it('the runs and the median of their medians, with the spread between runs', () => {
    const runs = [run('baseline', [10e6, 11e6, 12e6]), run('baseline', [12e6, 13e6, 14e6]), run('candidate', [1, 2, 3])];
    // Medians 11 ms and 13 ms: their median is 12 ms; the candidate's runs are not the baseline's.
    assert.match(sideSummary(experiment(runs), 'baseline'), /^2 runs, median 12\.0+ ms \(runs vary \d+\.\d%\)$/);
    assert.equal(sideSummary(experiment([run('candidate', [5e3])]), 'candidate'), '1 run, median 5.00 µs');
  });

  it('why a side ended early: REJECT or KILL', () => {
    const rejected = run('candidate', [], { results: [], correctness: { command: 'cargo test', exitCode: 101 } });
    assert.equal(sideSummary(experiment([rejected]), 'candidate'), 'its correctness check (cargo test) failed with exit code 101: REJECT, no run timed');
    const killed = [run('candidate', [1e6]), run('candidate', [], { results: [], overLimit: true })];
    assert.equal(sideSummary(experiment(killed), 'candidate'), 'run 2 was stopped past the time limit: KILL');
  });
});
