import * as assert from 'node:assert/strict';
import { Experiment, ExperimentComparison, isDecision, measuredText, roundsRun, savedVerdict } from '../../../src/core/experiments';

describe('what a comparison leaves behind', () => {
  it('the measured text Decide writes: by time with interval and p, by counts, or the reason', () => {
    assert.equal(measuredText({ verdict: 'KEEP', deltaPct: -48.21, ci: [-49.04, -47.5], p: 0.00018 }, '001-salt'), '-48.2% median [-49.0%, -47.5%], p=0.00018 (001-salt)');
    assert.equal(measuredText({ verdict: 'KEEP', deltaPct: -60, ci: [-61, -59], p: 1e-20 }, '001-salt'), '-60.0% median [-61.0%, -59.0%], p < 1e-16 (001-salt)');
    assert.equal(measuredText({ verdict: 'KEEP', metric: 'instructions', deltaPct: -31.46, ci: [Number.NaN, Number.NaN], p: Number.NaN }, '002-x'), '-31.5% instructions (callgrind) (002-x)');
    // Saved as JSON, NaN reads back as null.
    assert.equal(
      measuredText({ verdict: 'REJECT', deltaPct: null as unknown as number, ci: [Number.NaN, Number.NaN], p: Number.NaN, reason: 'cargo test failed' }, '003-y'),
      'cargo test failed (003-y)',
    );
  });

  it('the saved verdict of a single benchmark is its row; NOISY is no decision', () => {
    const row = { name: 'shard_of', deltaPct: -12.5, ci: [-14, -11] as [number, number], p: 0.002 };
    const comparison = { rows: [row], instructions: [], decidedBy: 'time', geomeanDeltaPct: -12.5, verdict: 'KEEP' } as unknown as ExperimentComparison;
    assert.deepEqual(savedVerdict(comparison), { verdict: 'KEEP', deltaPct: -12.5, ci: [-14, -11], p: 0.002 });
    assert.equal(isDecision('KEEP'), true);
    assert.equal(isDecision('NOISY'), false);
  });

  it('rounds run of a revisions experiment', () => {
    const run = (side: 'baseline' | 'candidate') => ({ side, at: '', results: [] });
    const experiment = (runs: ReturnType<typeof run>[]) => ({ revisions: { rounds: 10 }, runs }) as unknown as Experiment;
    assert.equal(roundsRun(experiment([])), 'no rounds run');
    assert.equal(roundsRun(experiment([run('baseline'), run('candidate'), run('baseline')])), 'interleaved in 1 of 10 rounds');
    assert.equal(roundsRun(experiment(Array.from({ length: 20 }, (_, i) => run(i % 2 ? 'candidate' : 'baseline')))), 'interleaved in 10 rounds');
  });
});
