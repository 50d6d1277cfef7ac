/** What a finished Record Baseline / Run Candidate says it measured. No `vscode` import. */
import { formatMeasurement, plural } from '../format';
import { cv, median } from '../stats/descriptive';
import { Experiment, timedRuns } from './store';

/**
 * One line for the notification that ends a side: how many runs, and the benchmark's median over
 * the runs' medians with the spread between runs (what the verdict is judged on); or why the
 * side ended early (REJECT, KILL).
 */
export function sideSummary(experiment: Experiment, side: 'baseline' | 'candidate'): string {
  const runs = timedRuns(experiment, side);
  const failed = runs.find((run) => run.correctness && run.correctness.exitCode !== 0);
  if (failed) return `its correctness check (${failed.correctness!.command}) failed with exit code ${failed.correctness!.exitCode}: REJECT, no run timed`;
  const overLimit = runs.findIndex((run) => run.overLimit);
  if (overLimit >= 0) return `run ${overLimit + 1} was stopped past the time limit: KILL`;
  const byName = new Map<string, { unit: string; medians: number[] }>();
  for (const run of runs) {
    for (const result of run.results) {
      if (result.samples.length === 0) continue;
      const entry = byName.get(result.name) ?? { unit: result.unit, medians: [] };
      entry.medians.push(median(result.samples));
      byName.set(result.name, entry);
    }
  }
  const head = plural(runs.length, 'run');
  if (byName.size !== 1) return `${head} of ${plural(byName.size, 'benchmark')}`;
  const [[, { unit, medians }]] = [...byName];
  const spread = medians.length > 1 ? ` (runs vary ${(cv(medians) * 100).toFixed(1)}%)` : '';
  return `${head}, median ${formatMeasurement(median(medians), unit)}${spread}`;
}
