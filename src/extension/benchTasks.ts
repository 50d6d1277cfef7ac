import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BenchCommand, benchCommandFor, BenchKind, BenchOutput, canMeasurePeakMemory, commandBenchmarks, peakMemoryCommand, readPeakMemory, suggestBenchmarks, summary } from '../core/bench';
import { ignorePerfLabFolder, rebasePath } from '../core/experiments/revisions';
import { readTextFile } from '../core/readText';
import { BenchmarkFileItem, BenchmarkResultsRequest, BenchmarkRunningRequest, BenchmarksRequest, BenchmarkTarget, IdeaItem } from '../protocol/lsp';
import { errorText, PerfLabLanguageServer } from './languageServer';
import { profileCommand } from './profileTasks';
import { ProfilesView } from './profilesView';
import { requireTrust, runTask, runTimedTask, shellQuote as quote, shellTask, taskFailure } from './tasks';
import type { SettingKey } from './settingKinds';
import { folderOf, setting } from './settings';
import { benchTools as benchToolKinds, type PerfLabTaskDefinition } from './taskDefinition';

/** The user's extra arguments of each tool run from source (hyperfine's are in perfLab.commands). */
const argsSettings: Record<Exclude<BenchKind, 'hyperfine'>, `benchmarks.${string}Args` & SettingKey> = {
  criterion: 'benchmarks.criterionArgs',
  libtest: 'benchmarks.libtestArgs',
  divan: 'benchmarks.divanArgs',
  'google-benchmark': 'benchmarks.googleBenchmarkArgs',
  catch2: 'benchmarks.catch2Args',
  go: 'benchmarks.goArgs',
};

/**
 * A fixed results file per benchmark under .perf-lab/results: the same whichever way the run
 * started (lens, experiment, a pinned task VS Code resolved again), so its results are found.
 */
function resultsFileFor(target: BenchmarkTarget, extension: string): string {
  const uri = vscode.Uri.parse(target.uri);
  const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? os.tmpdir();
  const name = `${target.kind}-${path.basename(uri.fsPath)}-${target.id}`.replace(/[^\w.-]+/g, '_');
  ignorePerfLabFolder(root);
  const folder = path.join(root, '.perf-lab', 'results');
  mkdirSync(folder, { recursive: true });
  return path.join(folder, `${name}.${extension}`);
}

/**
 * The command that runs a benchmark (its tool's adapter in core/bench/tools), `purpose` profile
 * to run it long enough under a profiler. With `root`, the benchmark of the folder that mirrors
 * the workspace there (a revision's git worktree).
 */
export async function benchCommand(target: BenchmarkTarget, root?: string, purpose: 'measure' | 'profile' = 'measure'): Promise<BenchCommand> {
  const folder = folderOf(target.uri);
  if (!folder) throw new Error('open a workspace folder to run benchmarks');
  const workspace = folder.uri.fsPath;
  const inRoot = (file: string) => (root ? rebasePath(file, workspace, root) : file);
  return benchCommandFor(target, {
    file: inRoot(vscode.Uri.parse(target.uri).fsPath),
    root: root ?? workspace,
    revision: root !== undefined,
    purpose,
    args: target.kind === 'hyperfine' ? [] : setting(argsSettings[target.kind], target.uri),
    commands: target.kind === 'hyperfine' ? commandBenchmarks(setting('commands', folder.uri)).commands : [],
    resultsFile: (extension) => resultsFileFor(target, extension),
    findExecutable: async (stem) => {
      // The build's executable in the workspace (never Perf Lab's own or node_modules' files), in the revision's tree when running one.
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, `**/${stem}`), '{**/node_modules/**,**/.perf-lab/**}', 20);
      const executable = found.map((uri) => uri.fsPath).find((candidate) => (statSync(candidate).mode & 0o111) !== 0);
      const binary = executable && inRoot(executable);
      return binary && existsSync(binary) ? binary : undefined;
    },
  });
}

/** The task definition of a benchmark run: what a user pins in tasks.json (file relative to the workspace folder). */
export type BenchmarkTaskDefinition = Extract<PerfLabTaskDefinition, { kind: 'benchmark' }> & { type: 'perf-lab' };

export function benchmarkTaskDefinition(target: BenchmarkTarget): BenchmarkTaskDefinition {
  const uri = vscode.Uri.parse(target.uri);
  return {
    type: 'perf-lab',
    kind: 'benchmark',
    tool: target.kind,
    benchmark: target.id,
    file: vscode.workspace.asRelativePath(uri, false),
    ...(target.group ? { group: true } : {}),
    ...(target.testCase !== undefined ? { testCase: target.testCase } : {}),
  };
}

/**
 * The benchmark a task names (its `file` relative to the task's folder: a folder's tasks.json in
 * a multi-root workspace), or undefined when it names none or a tool Perf Lab does not run.
 */
export function benchmarkTargetOf(task: vscode.Task): BenchmarkTarget | undefined {
  const definition = task.definition;
  const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
  const kind = benchToolKinds.find((tool) => tool === definition.tool);
  if (definition.kind !== 'benchmark' || typeof definition.benchmark !== 'string' || typeof definition.file !== 'string' || !kind || !folder) return undefined;
  return {
    uri: vscode.Uri.joinPath(folder.uri, definition.file).toString(),
    kind,
    id: definition.benchmark,
    ...(definition.group ? { group: true } : {}),
    ...(typeof definition.testCase === 'string' ? { testCase: definition.testCase } : {}),
  };
}

/** Reads a finished run's results and shows them in the lens and the Benchmarks view. */
export async function reportResults(server: PerfLabLanguageServer, target: BenchmarkTarget, output: BenchOutput): Promise<void> {
  const results = output.benchmarks.map((result) => {
    const { median, cv, n } = summary(result);
    return { name: result.name, unit: result.unit, median, cv, n, samples: result.samples };
  });
  await server.request(BenchmarkResultsRequest.type, { target, results });
}

/** One measured run of a benchmark. */
export interface BenchmarkRun {
  /** The results; undefined when the run failed, was stopped or went over its time limit. */
  output?: BenchOutput;
  /** Wall-clock time of the run (the build before it not counted). */
  seconds: number;
  /** Stopped for running past `limitSeconds` (the methodology's KILL). */
  overLimit: boolean;
  /** The run's peak resident memory (bytes), when measured. */
  peakMemoryBytes?: number;
}

/**
 * "▶ Benchmark": runs one benchmark as a VS Code task (the exact command in the terminal,
 * filtered to that benchmark; stopping the task stops it), reads the tool's results and shows
 * the median, CV and number of runs in the CodeLens. Trusted workspaces only.
 */
export async function runBenchmark(server: PerfLabLanguageServer, target: BenchmarkTarget): Promise<BenchOutput | undefined> {
  return (await measureBenchmark(server, target))?.output;
}

/** How measureBenchmark runs a benchmark. */
export interface MeasureOptions {
  /** Past this many seconds the run is stopped (the methodology's KILL). */
  limitSeconds?: number;
  /** The folder mirroring the workspace to run in (a revision's worktree); the workspace by default. */
  root?: string;
  /** Build first (default); false when the caller built this root already. */
  build?: boolean;
  /** Show the results in the lens and the Benchmarks view (default); false for another revision's runs. */
  report?: boolean;
  /** Added to the task's name, e.g. "baseline HEAD". */
  label?: string;
  /** Cancelling stops the running task. */
  token?: vscode.CancellationToken;
  /** Also measure the run's peak resident memory (GNU time, when installed). */
  peakMemory?: boolean;
}

/** Builds, then runs and times one benchmark; past the time limit the run is stopped. Undefined when nothing ran. */
export async function measureBenchmark(server: PerfLabLanguageServer, target: BenchmarkTarget, options: MeasureOptions = {}): Promise<BenchmarkRun | undefined> {
  if (!requireTrust('run benchmarks')) return undefined;
  const { limitSeconds, root, label, token } = options;
  const suffix = label ? ` (${label})` : '';
  try {
    const command = await benchCommand(target, root);
    if (command.build && options.build !== false) {
      const built = await runTask({ kind: 'build', benchmark: target.id }, `build: ${target.id}${suffix}`, command.build, command.cwd, token);
      if (built !== 0) {
        void vscode.window.showErrorMessage(taskFailure(`building ${target.id}${suffix}`, built));
        return undefined;
      }
    }
    // No stale results from an earlier run can pass for this one's.
    if (command.resultsFile) rmSync(command.resultsFile, { force: true });
    const memoryFile =
      options.peakMemory && canMeasurePeakMemory() ? `${command.resultsFile ?? path.join(os.tmpdir(), `perf-lab-${process.pid}-${target.id.replace(/\W+/g, '_')}`)}.peak-rss` : undefined;
    if (memoryFile) rmSync(memoryFile, { force: true });
    const line = memoryFile ? peakMemoryCommand(command.line, memoryFile) : command.line;
    const task = shellTask(benchmarkTaskDefinition(target), `benchmark: ${target.id}${suffix}`, line, command.cwd);
    // The lens of a benchmark run for the workspace says it is running (not another revision's runs).
    const shown = options.report !== false;
    if (shown) void server.request(BenchmarkRunningRequest.type, { target, running: true }).catch(() => undefined);
    const outcome = await runTimedTask(task, limitSeconds, token).finally(() => {
      if (shown) void server.request(BenchmarkRunningRequest.type, { target, running: false }).catch(() => undefined);
    });
    if (outcome.overLimit) {
      void vscode.window.showWarningMessage(`Perf Lab: benchmark ${target.id}${suffix} ran past its time limit of ${limitSeconds!.toFixed(1)} s and was stopped (KILL).`);
      return { seconds: outcome.seconds, overLimit: true };
    }
    if (outcome.exitCode !== 0) {
      if (!token?.isCancellationRequested) void vscode.window.showErrorMessage(taskFailure(`benchmark ${target.id}${suffix}`, outcome.exitCode));
      return undefined;
    }
    const output = command.results();
    if (options.report !== false) await reportResults(server, target, output);
    const peakMemoryBytes = memoryFile ? readPeakMemory(memoryFile) : undefined;
    return { output, seconds: outcome.seconds, overLimit: false, ...(peakMemoryBytes ? { peakMemoryBytes } : {}) };
  } catch (error) {
    void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
    return undefined;
  }
}

/** The shell command that runs a benchmark from anywhere; perf follows the shell's children, so the benchmark binary is in the profile. */
export function benchmarkProfileCommand(command: BenchCommand): string {
  return `sh -c ${quote(`cd ${quote(command.cwd)} && ${command.line}`)}`;
}

/**
 * "⚡ Profile" / "Perf Lab: Profile Benchmark…": builds the benchmark, records its run with perf
 * and loads the profile (saved in `directory` when given: the active experiment's folder).
 */
export async function profileBenchmark(server: PerfLabLanguageServer, profiles: ProfilesView, target: BenchmarkTarget | undefined, directory?: string): Promise<boolean> {
  const chosen = target ?? (await pickBenchmark(server, 'Profile which benchmark?'));
  if (!chosen) return false;
  if (!requireTrust('record profiles')) return false;
  try {
    const command = await benchCommand(chosen, undefined, 'profile');
    // Built first, so the profile is of the benchmark, not of the compiler.
    if (command.build && (await runTask({ kind: 'build', benchmark: chosen.id }, `build: ${chosen.id}`, command.build, command.cwd)) !== 0) {
      void vscode.window.showErrorMessage(`Perf Lab: building ${chosen.id} failed or was stopped; see the terminal.`);
      return false;
    }
    return await profileCommand(profiles, { command: benchmarkProfileCommand(command), profiler: 'perf', name: chosen.id }, directory);
  } catch (error) {
    void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
    return false;
  }
}

/** A quick pick of the benchmarks the server found; for an idea, those that reach its code first. */
export async function pickBenchmark(server: PerfLabLanguageServer, title: string, idea?: IdeaItem): Promise<BenchmarkTarget | undefined> {
  const files: BenchmarkFileItem[] = await server.request(BenchmarksRequest.type);
  const choices = files.flatMap((file) =>
    file.benchmarks.map(({ uri, kind, id, group }) => ({ file: vscode.Uri.parse(uri).fsPath, id, path: file.path, target: { uri, kind, id, ...(group ? { group } : {}) } })),
  );
  const code = (idea?.locations ?? []).flatMap((location) => (location.resolved && location.uri ? [{ file: vscode.Uri.parse(location.uri).fsPath, line: (location.line ?? 0) + 1 }] : []));
  const ranked: { benchmark: (typeof choices)[number]; score: number; reason?: string }[] = code.length
    ? suggestBenchmarks(choices, code, readTextFile, existsSync)
    : choices.map((benchmark) => ({ benchmark, score: 0 }));
  const suggested = ranked.filter((entry) => entry.score > 0);
  type Item = vscode.QuickPickItem & { target?: BenchmarkTarget };
  const item = (entry: { benchmark: (typeof choices)[number]; reason?: string }): Item => ({
    label: entry.benchmark.id,
    description: entry.benchmark.path,
    ...(entry.reason ? { detail: entry.reason } : {}),
    target: entry.benchmark.target,
  });
  const items: Item[] = suggested.length
    ? [
        { label: `Reach the code of "${idea!.title}"`, kind: vscode.QuickPickItemKind.Separator },
        ...suggested.map(item),
        { label: 'Other benchmarks', kind: vscode.QuickPickItemKind.Separator },
        ...ranked.filter((entry) => entry.score === 0).map(item),
      ]
    : ranked.map(item);
  const placeHolder = suggested.length ? `Benchmarks that reach the code of "${idea!.title}" first` : 'A benchmark of the workspace';
  return (await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true }))?.target;
}
