/**
 * Experiments on disk: one folder per experiment (`docs/perf/experiments/NNN-slug/` by default)
 * with `experiment.json` (runs are appended, never rewritten in place), `environment.yaml` and,
 * once compared, `verdict.md`. Every write goes to a temporary file, flushed, then renamed, so a
 * run killed midway leaves the earlier results intact; read-modify-writes hold a lock, so two
 * processes appending runs keep both; a damaged experiment.json is reported, not skipped. No
 * `vscode` import.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { signedPercent } from '../format';
import { median } from '../stats/descriptive';
import type { Verdict } from '../stats/verdict';
import type { Revision } from './revisions';

export interface ExperimentRun {
  side: 'baseline' | 'candidate';
  /** ISO time of the run. */
  at: string;
  commit?: string;
  dirty?: boolean;
  results: { name: string; unit: string; samples: number[] }[];
  /** Wall-clock seconds of the benchmark run (its time budget). */
  seconds?: number;
  /** Stopped for running past killFactor x the baseline's time: no results. */
  overLimit?: boolean;
  /** The run's peak resident memory in bytes (GNU time: its largest process). */
  peakMemoryBytes?: number;
  /** "instructions": callgrind's counts (one untimed run under valgrind), not a timed run. */
  metric?: 'instructions';
  /** The candidate's correctness command (e.g. `cargo test`), run once before its timed runs, and how it ended. */
  correctness?: Correctness;
}

/** A correctness check: the command and its exit code (null when it was stopped). */
export interface Correctness {
  command: string;
  exitCode: number | null;
}

export interface Experiment {
  id: string;
  title: string;
  created: string;
  /** The idea it tests, when started from one. */
  idea?: { document: string; id: string; title: string };
  /** What is measured (a benchmark CodeLens target). */
  benchmark: { uri: string; kind: string; id: string; group?: boolean };
  runs: ExperimentRun[];
  /** Set when two git revisions are measured interleaved (A B A B …) rather than the working tree before and after a change. */
  revisions?: { baseline: Revision; candidate: Revision; rounds: number };
  /** deltaPct, ci and p are null when the verdict came before any statistics (REJECT, KILL without results). */
  verdict?: { verdict: Verdict; deltaPct: number; ci: [number, number]; p: number; reason?: string; decidedAt?: string; metric?: 'instructions' | 'peak memory' };
}

/**
 * Writes a file through a temporary file, flushed to disk, and a rename (the folder flushed too),
 * so a crash or power loss leaves either the old file or the new one.
 */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  try {
    const folder = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  } catch {
    // Some file systems cannot flush a folder; the rename itself is still atomic.
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary files left by writers that died before their rename. */
function removeStaleTemporaries(folder: string): void {
  for (const name of readdirSync(folder)) {
    const match = /\.(\d+)\.tmp$/.exec(name);
    if (match && Number(match[1]) !== process.pid && !processAlive(Number(match[1]))) rmSync(path.join(folder, name), { force: true });
  }
}

const lockWaitMs = 30_000;

/**
 * Runs `change` holding the experiment's lock (`experiment.json.lock`, made exclusively), so two
 * processes appending runs cannot lose one another's: the lock of a process that died is taken
 * over, and one held longer than 30 s is an error.
 */
function withLock<T>(folder: string, change: () => T): T {
  const lock = path.join(folder, 'experiment.json.lock');
  const started = Date.now();
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(lock, 'utf8'));
      } catch {
        continue; // released meanwhile
      }
      if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() - started > lockWaitMs) throw new Error(`${lock}: held by process ${holder} for more than ${lockWaitMs / 1000} s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    removeStaleTemporaries(folder);
    return change();
  } finally {
    rmSync(lock, { force: true });
  }
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'experiment'
  );
}

/** Creates the next numbered experiment folder under `directory`. */
export function createExperiment(directory: string, init: Omit<Experiment, 'id' | 'created' | 'runs'>, environment: string): { folder: string; experiment: Experiment } {
  mkdirSync(directory, { recursive: true });
  const numbers = readdirSync(directory).map((name) => Number(/^(\d+)-/.exec(name)?.[1] ?? 0));
  const number = String(Math.max(0, ...numbers) + 1).padStart(3, '0');
  const id = `${number}-${slug(init.title)}`;
  const folder = path.join(directory, id);
  const experiment: Experiment = { id, created: new Date().toISOString(), runs: [], ...init };
  writeAtomic(path.join(folder, 'experiment.json'), `${JSON.stringify(experiment, null, 2)}\n`);
  writeAtomic(path.join(folder, 'environment.yaml'), environment);
  writeTracker(directory);
  return { folder, experiment };
}

/** An experiment folder whose experiment.json cannot be read: shown and reported, never hidden. */
export class DamagedExperimentError extends Error {
  constructor(
    readonly folder: string,
    readonly reason: string,
  ) {
    super(`${path.join(folder, 'experiment.json')}: ${reason}`);
  }
}

export function readExperiment(folder: string): Experiment {
  const file = path.join(folder, 'experiment.json');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DamagedExperimentError(folder, error instanceof SyntaxError ? `not valid JSON (${error.message})` : (error as Error).message);
  }
  const experiment = value as Partial<Experiment> | null;
  if (!experiment || typeof experiment !== 'object' || typeof experiment.id !== 'string' || !Array.isArray(experiment.runs) || !experiment.benchmark) {
    throw new DamagedExperimentError(folder, 'not an experiment (no id, benchmark or runs list)');
  }
  return experiment as Experiment;
}

/** Appends a run (read, extend, write atomically: the file always holds complete JSON). */
export function appendRun(folder: string, run: ExperimentRun): Experiment {
  const experiment = withLock(folder, () => {
    const current = readExperiment(folder);
    current.runs.push(run);
    writeAtomic(path.join(folder, 'experiment.json'), `${JSON.stringify(current, null, 2)}\n`);
    return current;
  });
  writeTracker(path.dirname(folder));
  return experiment;
}

export function saveVerdict(folder: string, verdict: NonNullable<Experiment['verdict']>, markdown: string): Experiment {
  const experiment = withLock(folder, () => {
    const current = readExperiment(folder);
    current.verdict = verdict;
    writeAtomic(path.join(folder, 'experiment.json'), `${JSON.stringify(current, null, 2)}\n`);
    writeAtomic(path.join(folder, 'verdict.md'), markdown);
    return current;
  });
  writeTracker(path.dirname(folder));
  return experiment;
}

/** The experiments of a directory, newest first. */
export function listExperiments(directory: string): { folder: string; experiment: Experiment }[] {
  return experimentFolders(directory).flatMap((entry) => ('experiment' in entry ? [entry] : []));
}

/** Every experiment folder, newest first: read, or damaged with the reason. */
export function experimentFolders(directory: string): ({ folder: string; experiment: Experiment } | { folder: string; damaged: string })[] {
  let names: string[];
  try {
    names = readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^\d+-/.test(name))
    .sort()
    .reverse()
    .map((name) => {
      const folder = path.join(directory, name);
      try {
        return { folder, experiment: readExperiment(folder) };
      } catch (error) {
        return { folder, damaged: error instanceof DamagedExperimentError ? error.reason : (error as Error).message };
      }
    });
}

/** One side of an experiment for one benchmark: every sample, and each run's median. */
export interface SideMeasurements {
  unit: string;
  /** All samples of the side's runs, pooled. */
  samples: number[];
  /** One median per run, in run order. */
  runMedians: number[];
}

/** The timed runs of an experiment (of one side, when given): what "N runs" counts. */
export function timedRuns(experiment: Experiment, side?: ExperimentRun['side']): ExperimentRun[] {
  return experiment.runs.filter((run) => run.metric === undefined && (side === undefined || run.side === side));
}

/** A side's measurements per benchmark name, of its timed runs or of its instruction counts. */
export function samplesBySide(experiment: Experiment, side: ExperimentRun['side'], metric: 'time' | 'instructions' = 'time'): Map<string, SideMeasurements> {
  const bySide = new Map<string, SideMeasurements>();
  for (const run of experiment.runs.filter((candidate) => candidate.side === side && (candidate.metric ?? 'time') === metric)) {
    for (const result of run.results) {
      if (result.samples.length === 0) continue;
      const entry = bySide.get(result.name) ?? { unit: result.unit, samples: [], runMedians: [] };
      entry.samples.push(...result.samples);
      entry.runMedians.push(median(result.samples));
      bySide.set(result.name, entry);
    }
  }
  return bySide;
}

/**
 * TRACKER.md beside the experiment folders: one row per experiment, newest first, rewritten
 * from the folders after every change (it is derived; the folders are the record).
 */
export function writeTracker(directory: string): void {
  const pct = (value: number) => signedPercent(value);
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const rows = experimentFolders(directory).map((entry) => {
    if (!('experiment' in entry)) return `| ${path.basename(entry.folder)} | ⚠ damaged: ${cell(entry.damaged)} | | | | | | |`;
    const e = entry.experiment;
    const sides = (side: ExperimentRun['side']) => timedRuns(e, side).length;
    const last = e.runs.at(-1)?.at ?? e.created;
    const link = `[${e.id}](${e.id}/${e.verdict ? 'verdict.md' : 'experiment.json'})`;
    const verdict = e.verdict ? `**${e.verdict.verdict}**` : 'open';
    const delta = e.verdict && Number.isFinite(e.verdict.deltaPct) ? pct(e.verdict.deltaPct) : '';
    return `| ${link} | ${cell(e.title)} | ${cell(e.idea?.title ?? '')} | ${cell(e.benchmark.id)} | ${sides('baseline')} / ${sides('candidate')} | ${verdict} | ${delta} | ${last.slice(0, 10)} |`;
  });
  const text = [
    '# Experiments',
    '',
    'Written by Perf Lab from the experiment folders here; edits to this file are overwritten.',
    '',
    '| Experiment | Change | Idea | Benchmark | Runs (baseline / candidate) | Verdict | Δ median | Last run |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  writeAtomic(path.join(directory, 'TRACKER.md'), text);
}
