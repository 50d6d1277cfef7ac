/**
 * What an experiment's comparison leaves behind: the verdict saved in experiment.json, the
 * measured result Decide writes into the idea, and how many rounds ran. No `vscode` import.
 */
import { formatP, signedPercent } from '../format';
import { geometricMean, Verdict } from '../stats';
import { ExperimentComparison } from './report';
import { Experiment, timedRuns } from './store';

export type SavedVerdict = NonNullable<Experiment['verdict']>;

/** The verdict to save: by instruction counts (no interval, no p) or by time, its headline row or the suite's. */
export function savedVerdict(comparison: ExperimentComparison): SavedVerdict {
  if (comparison.decidedBy === 'instructions') {
    const headline = comparison.instructions.length === 1 ? comparison.instructions[0]! : undefined;
    return {
      verdict: comparison.verdict,
      metric: 'instructions',
      // Deterministic counts: no interval, no p-value.
      deltaPct: headline?.deltaPct ?? (geometricMean(comparison.instructions.map((row) => 1 + row.deltaPct / 100)) - 1) * 100,
      ci: [Number.NaN, Number.NaN],
      p: Number.NaN,
      ...(comparison.reason ? { reason: comparison.reason } : headline ? { reason: headline.reason } : {}),
    };
  }
  if (comparison.decidedBy === 'peak memory' && comparison.memory) {
    const { memory } = comparison;
    return { verdict: comparison.verdict, metric: 'peak memory', deltaPct: memory.deltaPct, ci: memory.ci, p: memory.p, ...(comparison.reason ? { reason: comparison.reason } : {}) };
  }
  const headline = comparison.rows.length === 1 ? comparison.rows[0]! : undefined;
  return {
    verdict: comparison.verdict,
    deltaPct: headline?.deltaPct ?? comparison.geomeanDeltaPct,
    ci: headline?.ci ?? [Number.NaN, Number.NaN],
    p: headline?.p ?? (comparison.rows.length ? Math.min(...comparison.rows.map((row) => row.p)) : Number.NaN),
    ...(comparison.reason ? { reason: comparison.reason } : {}),
  };
}

/**
 * The measured result Decide writes into the idea: "-48.2% median [-49.0%, -47.5%], p=0.00018
 * (001-salt-once)", "-31.5% instructions (callgrind) (…)", "-85.1% peak memory […]", or the reason when REJECT or KILL came
 * before any statistics (deltaPct is null: NaN written as JSON).
 */
export function measuredText(verdict: SavedVerdict, experimentId: string): string {
  const pText = (p: number | null) => (typeof p === 'number' && p < 1e-16 ? `p ${formatP(p)}` : `p=${typeof p === 'number' ? formatP(p) : 'n/a'}`);
  if (verdict.metric === 'instructions' && typeof verdict.deltaPct === 'number') return `${signedPercent(verdict.deltaPct)} instructions (callgrind) (${experimentId})`;
  if (typeof verdict.deltaPct === 'number' && Number.isFinite(verdict.deltaPct)) {
    const interval = Number.isFinite(verdict.ci[0]) ? ` [${signedPercent(verdict.ci[0])}, ${signedPercent(verdict.ci[1])}]` : '';
    return `${signedPercent(verdict.deltaPct)} ${verdict.metric === 'peak memory' ? 'peak memory' : 'median'}${interval}, ${pText(verdict.p)} (${experimentId})`;
  }
  return `${verdict.reason ?? 'no measurement'} (${experimentId})`;
}

/** Verdicts that decide an idea's fate; NOISY asks for more runs instead. */
export function isDecision(verdict: Verdict): boolean {
  return verdict !== 'NOISY';
}

/** "interleaved in 10 rounds", or how many of them ran when fewer did (none when REJECTed). */
export function roundsRun(experiment: Experiment): string {
  const planned = experiment.revisions?.rounds ?? 0;
  const ran = Math.min(timedRuns(experiment, 'baseline').length, timedRuns(experiment, 'candidate').length);
  if (ran === 0) return 'no rounds run';
  return ran >= planned ? `interleaved in ${planned} rounds` : `interleaved in ${ran} of ${planned} rounds`;
}
