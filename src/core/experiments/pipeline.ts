/**
 * The measuring pipeline of an experiment, one place for both ways of running it: a side
 * (Record Baseline / Run Candidate: build, the candidate's correctness check, N timed runs, the
 * instruction count, a profile) and Compare Revisions (both worktrees built and checked once,
 * then timed runs interleaved baseline, candidate, ...). What runs the tools (VS Code tasks in
 * the extension) comes in as `MeasureSteps`; the pipeline decides the order, when to stop
 * (REJECT, KILL, cancel) and what is appended to experiment.json. No `vscode` import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { callgrindFolderTotal } from '../bench/instructions';
import { gitState } from './environment';
import { candidateTimeLimit } from './report';
import { interleavedSchedule, Side } from './revisions';
import { appendRun, Correctness, Experiment, ExperimentRun, readExperiment } from './store';

/** One timed run of the benchmark, as the step that ran it saw it. */
export interface TimedRun {
  results: ExperimentRun['results'];
  seconds: number;
  /** Stopped past its time limit (KILL). */
  overLimit: boolean;
  /** Peak resident memory of the run (bytes), when measured. */
  peakMemoryBytes?: number;
}

/** Where a side runs: its folder (the workspace, or a revision's worktree) and how it is named. */
export interface SidePlace {
  root: string;
  /** "baseline HEAD", shown in task names and progress; undefined for the workspace itself. */
  label?: string;
}

/** The tools, as the caller runs them. Each returns undefined (or false) when it failed or was stopped. */
export interface MeasureSteps {
  build(place: SidePlace): Promise<boolean>;
  /** The correctness command's outcome in the folder; undefined when none is configured. */
  checkCorrectness(place: SidePlace): Promise<Correctness | undefined>;
  /** One timed run; `limitSeconds` stops it (KILL). */
  measure(place: SidePlace, side: Side, limitSeconds: number | undefined): Promise<TimedRun | undefined>;
  /** The side's instruction count, appended by the step itself when counting is on. */
  countInstructions(place: SidePlace, side: Side): Promise<void>;
  /** A profile of the side, when profiling is on. */
  profile(place: SidePlace, side: Side): Promise<void>;
  /** The candidate's correctness check failed in a revision's worktree (say what it may lack). */
  correctnessFailed?(place: SidePlace): void;
  progress(message: string, increment?: number): void;
  cancelled(): boolean;
  /** experiment.json changed (views refresh). */
  changed?(): void;
}

/** How the measuring ended: `finished` includes REJECT and KILL, which end it early on purpose. */
export type MeasureOutcome = 'finished' | 'rejected' | 'killed' | 'stopped';

/** Seconds a candidate run may take (KILL past it), once the baseline has a timed run. */
export function candidateLimit(experiment: Experiment, killFactor: number): number | undefined {
  const baselineSeconds = Math.max(0, ...experiment.runs.filter((run) => run.side === 'baseline').map((run) => run.seconds ?? 0));
  return baselineSeconds > 0 ? candidateTimeLimit(baselineSeconds, killFactor) : undefined;
}

/** Appends a timed run (or, with none, the candidate's failed correctness check) to experiment.json. */
function appendMeasured(folder: string, side: Side, root: string, run: TimedRun | undefined, correctness: Correctness | undefined, steps: MeasureSteps): void {
  appendRun(folder, {
    side,
    at: new Date().toISOString(),
    ...gitState(root),
    results: run?.results ?? [],
    ...(run ? { seconds: run.seconds } : {}),
    ...(run?.overLimit ? { overLimit: true } : {}),
    ...(run?.peakMemoryBytes ? { peakMemoryBytes: run.peakMemoryBytes } : {}),
    ...(correctness ? { correctness } : {}),
  });
  steps.changed?.();
}

/**
 * Record Baseline / Run Candidate: build, for the candidate its correctness check once (REJECT
 * when it fails: no run is spent on it), `runs` timed runs (a candidate run past killFactor x
 * the baseline's longest is stopped: KILL), then the instruction count and the profile.
 */
export async function measureSide(folder: string, side: Side, place: SidePlace, options: { runs: number; killFactor: number }, steps: MeasureSteps): Promise<MeasureOutcome> {
  steps.progress('building');
  if (!(await steps.build(place))) return 'stopped';
  let correctness: Correctness | undefined;
  if (side === 'candidate') {
    steps.progress('checking its correctness');
    correctness = await steps.checkCorrectness(place);
    if (steps.cancelled()) return 'stopped';
    if (correctness && correctness.exitCode !== 0) {
      appendMeasured(folder, side, place.root, undefined, correctness, steps);
      return 'rejected'; // no timing would change it
    }
  }
  for (let index = 0; index < options.runs; index++) {
    if (steps.cancelled()) return 'stopped';
    steps.progress(`run ${index + 1} of ${options.runs}`, 100 / options.runs);
    const limit = side === 'candidate' ? candidateLimit(readExperiment(folder), options.killFactor) : undefined;
    const run = await steps.measure(place, side, limit);
    if (!run) return 'stopped';
    appendMeasured(folder, side, place.root, run, index === 0 ? correctness : undefined, steps);
    if (run.overLimit) return 'killed'; // more runs would not change it
  }
  return (await countAndProfile(side, place, steps)) ? 'finished' : 'stopped';
}

/**
 * Compare Revisions after the worktrees exist: both built, the candidate's correctness checked
 * once (REJECT: no rounds), then `rounds` rounds of baseline, candidate runs, so a machine that
 * gets busier or quieter weighs on both sides alike; then each side's count and profile.
 */
export async function measureRevisions(folder: string, places: Record<Side, SidePlace>, options: { rounds: number; killFactor: number }, steps: MeasureSteps): Promise<MeasureOutcome> {
  for (const side of ['baseline', 'candidate'] as const) {
    steps.progress(`building the ${places[side].label ?? side}`);
    if (!(await steps.build(places[side]))) return 'stopped';
  }
  // The same code runs every round: its correctness is checked once, before any timing.
  steps.progress("checking the candidate's correctness");
  const correctness = await steps.checkCorrectness(places.candidate);
  if (steps.cancelled()) return 'stopped';
  if (correctness && correctness.exitCode !== 0) {
    appendMeasured(folder, 'candidate', places.candidate.root, undefined, correctness, steps);
    steps.correctnessFailed?.(places.candidate);
    return 'rejected';
  }
  const schedule = interleavedSchedule(options.rounds);
  for (const [index, side] of schedule.entries()) {
    if (steps.cancelled()) return 'stopped';
    steps.progress(`run ${index + 1} of ${schedule.length}: ${places[side].label ?? side}`, 100 / schedule.length);
    const limit = side === 'candidate' ? candidateLimit(readExperiment(folder), options.killFactor) : undefined;
    const run = await steps.measure(places[side], side, limit);
    if (!run) return 'stopped';
    // The check belongs to the candidate's first run (the second of the schedule).
    appendMeasured(folder, side, places[side].root, run, side === 'candidate' && index === 1 ? correctness : undefined, steps);
    if (run.overLimit) return 'killed'; // more rounds would not change it
  }
  for (const side of ['baseline', 'candidate'] as const) {
    if (!(await countAndProfile(side, places[side], steps))) return 'stopped';
  }
  return 'finished';
}

/** The side's instruction count and profile; false when cancelled on the way. */
async function countAndProfile(side: Side, place: SidePlace, steps: MeasureSteps): Promise<boolean> {
  const name = place.label ?? side;
  if (steps.cancelled()) return false;
  steps.progress(place.label ? `counting the instructions of the ${name}` : 'counting instructions');
  await steps.countInstructions(place, side);
  if (steps.cancelled()) return false;
  steps.progress(place.label ? `profiling the ${name}` : 'profiling');
  await steps.profile(place, side);
  return !steps.cancelled();
}

/**
 * Reads the callgrind files a count left in each command's folder (one per process, summed) and
 * appends the side's instruction counts, one result per command (named as hyperfine names it).
 */
export function appendInstructionCounts(folder: string, side: Side, root: string, commands: readonly { name: string; folder: string }[]): void {
  const results = commands.map(({ name, folder: output }) => {
    const files = readdirSync(output)
      .filter((file) => file.endsWith('.callgrind'))
      .map((file) => path.join(output, file));
    return {
      name,
      unit: 'instructions',
      samples: [
        callgrindFolderTotal(
          files.map((file) => ({ file, text: readFileSync(file, 'utf8') })),
          output,
        ),
      ],
    };
  });
  appendRun(folder, { side, metric: 'instructions', at: new Date().toISOString(), ...gitState(root), results });
}
