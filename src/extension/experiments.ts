import { existsSync, mkdirSync } from 'node:fs';
import { ignoredFolder } from '../core/ignoredFolder';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  appendInstructionCounts,
  compareExperiment,
  isDecision,
  measuredText,
  savedVerdict,
  Correctness,
  createExperiment,
  environmentYaml,
  Experiment,
  ExperimentComparison,
  experimentMarkdown,
  git,
  experimentFolders,
  MeasureOutcome,
  measureRevisions,
  measureSide,
  MeasureSteps,
  prepareWorktree,
  readExperiment,
  resolveCommit,
  Revision,
  revisionChoices,
  basisSentence,
  saveVerdict,
  snapshotWorkingTree,
  Side,
  SidePlace,
  sideSummary,
  timedRuns,
  untrackedInputs,
  workingTree,
  WorkspaceThresholds,
  workspaceThresholds,
} from '../core/experiments';
import { canMeasurePeakMemory, commandBenchmarks, expandCommand, gnuTime, instructionCountLine } from '../core/bench';
import { signedPercent } from '../core/format';
import { defaultThresholds, Thresholds } from '../core/stats';
import { BenchmarkTarget } from '../protocol/lsp';
import { benchCommand, benchmarkProfileCommand, measureBenchmark, pickBenchmark } from './benchTasks';
import { folderOf, setting } from './settings';
import { requireTrust, runTask, taskFailure } from './tasks';
import { DeltasPanel, deltasData } from './deltasPanel';
import { IdeaNode, IdeasView } from './ideasView';
import { errorText, PerfLabLanguageServer } from './languageServer';
import { FlamePanel } from './flamePanel';
import { recordProfile } from './profileTasks';
import { ProfilesView } from './profilesView';

const activeKey = 'perfLab.activeExperiment';

/** Where an experiment keeps the profile of one side (perf script text). */
export function sideProfile(folder: string, side: Side): string {
  return path.join(folder, 'profiles', `${side}.perf.txt`);
}

/** The team's thresholds: the defaults, then the methodology document, then the perfLab.methodology setting. */
export function methodology(scope?: vscode.Uri | string): WorkspaceThresholds {
  const folder = folderOf(scope);
  const overrides = setting('methodology', scope) as Partial<Thresholds>;
  return folder ? workspaceThresholds(folder.uri.fsPath, setting('methodologyFile', scope), overrides) : { thresholds: overrides };
}

/** What "Compare Revisions" measures, when given rather than asked (tests, other commands). */
export interface RevisionsPreset {
  benchmark: BenchmarkTarget;
  /** A git ref. */
  baseline: string;
  /** A git ref, or "working tree". */
  candidate: string;
  rounds?: number;
  title?: string;
}

/** An experiment folder: read, or damaged (its experiment.json unreadable), with the reason. */
type ExperimentNode = { folder: string; experiment: Experiment } | { folder: string; damaged: string };

/**
 * Experiments from the command palette and the Experiments view: New Experiment (from an idea or
 * free-standing), Record Baseline and Run Candidate (the working tree before and after a change),
 * Compare (the before/after panel, and verdict.md with deltas, intervals, p-values and verdicts) and Decide (the verdict and
 * the measured delta written into the idea's document). The active one is in the status bar.
 */
export class Experiments implements vscode.TreeDataProvider<ExperimentNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExperimentNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly status = vscode.window.createStatusBarItem('perfLab.experiment', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[];
  private toldPeakMemoryMissing = false;
  /** The experiment command measuring now, if any. */
  private running: string | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: PerfLabLanguageServer,
    private readonly ideas: IdeasView,
    private readonly profiles: ProfilesView,
  ) {
    this.status.name = 'Perf Lab Experiment';
    this.status.command = 'perfLab.compareExperiment';
    this.disposables = [vscode.window.registerTreeDataProvider('perfLab.experiments', this), this.changed, this.status];
    this.refresh();
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  /** A folder's experiments directory (perfLab.experiments.directory, inside the folder). */
  private directoryOf(folder: vscode.WorkspaceFolder | undefined): string | undefined {
    if (!folder) return undefined;
    const configured = setting('experiments.directory', folder.uri);
    const directory = path.resolve(folder.uri.fsPath, configured);
    // A workspace's settings must not make Perf Lab write elsewhere on the machine.
    const relative = path.relative(folder.uri.fsPath, directory);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      if (!this.warnedOutside) void vscode.window.showErrorMessage(`Perf Lab: perfLab.experiments.directory "${configured}" is outside the workspace folder; experiments stay inside it.`);
      this.warnedOutside = true;
      return undefined;
    }
    return directory;
  }

  private warnedOutside = false;

  get active(): string | undefined {
    return this.context.workspaceState.get<string>(activeKey);
  }

  /** Where profiles recorded now belong: the active experiment's `profiles/` folder. */
  get profilesFolder(): string | undefined {
    const active = this.active;
    return active ? path.join(active, 'profiles') : undefined;
  }

  refresh(): void {
    const active = this.active;
    if (active) {
      try {
        const experiment = readExperiment(active);
        const runs = timedRuns(experiment).length;
        this.status.text = `$(beaker) ${experiment.id}${experiment.verdict ? ` · ${experiment.verdict.verdict}` : ` · ${runs} run${runs === 1 ? '' : 's'}`}`;
        this.status.tooltip = `Perf Lab experiment "${experiment.title}": click to compare`;
        this.status.show();
      } catch {
        this.status.hide();
      }
    } else {
      this.status.hide();
    }
    this.changed.fire(undefined);
  }

  /** The experiments of every workspace folder (each kept in the folder of its benchmark). */
  getChildren(): ExperimentNode[] {
    const directories = new Set((vscode.workspace.workspaceFolders ?? []).map((folder) => this.directoryOf(folder)).filter((directory) => directory !== undefined));
    return [...directories].flatMap((directory) => experimentFolders(directory));
  }

  getTreeItem(node: ExperimentNode): vscode.TreeItem {
    if (!('experiment' in node)) {
      const damaged = new vscode.TreeItem(path.basename(node.folder));
      damaged.description = 'damaged';
      damaged.tooltip = `${path.join(node.folder, 'experiment.json')}: ${node.damaged}`;
      damaged.iconPath = new vscode.ThemeIcon('warning');
      damaged.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(path.join(node.folder, 'experiment.json'))] };
      damaged.id = node.folder;
      return damaged;
    }
    const { experiment } = node;
    const item = new vscode.TreeItem(`${experiment.id}`);
    const baselines = timedRuns(experiment, 'baseline').length;
    const candidates = timedRuns(experiment, 'candidate').length;
    const delta = experiment.verdict?.deltaPct;
    const deltaText = typeof delta === 'number' && Number.isFinite(delta) ? ` · ${signedPercent(delta)}` : '';
    item.description = experiment.verdict ? `${experiment.verdict.verdict}${deltaText}` : `${baselines} baseline, ${candidates} candidate runs`;
    item.tooltip = `${experiment.title}\n${experiment.benchmark.id}${experiment.idea ? `\nIdea: ${experiment.idea.title}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(node.folder === this.active ? 'beaker' : 'history');
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(path.join(node.folder, experiment.verdict ? 'verdict.md' : 'experiment.json'))] };
    item.id = node.folder;
    return item;
  }

  /** New Experiment: for an idea (from the Ideas view) or free-standing; asks which benchmark measures it. */
  async create(idea?: IdeaNode, preset?: { benchmark: BenchmarkTarget; title?: string; revisions?: Experiment['revisions'] }): Promise<string | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) return undefined;
    const benchmark = preset?.benchmark ?? (await this.pickBenchmark(idea));
    if (!benchmark) return undefined;
    // Kept, built and run in the folder of its benchmark (a multi-root workspace has several).
    const workspaceFolder = folderOf(benchmark.uri);
    const directory = this.directoryOf(workspaceFolder);
    if (!workspaceFolder || !directory) return undefined;
    const title = preset?.title ?? idea?.idea.title ?? (await vscode.window.showInputBox({ title: 'New Experiment', prompt: 'What change is tested?' }));
    if (!title) return undefined;
    const cwd = workspaceFolder.uri.fsPath;
    const { folder } = createExperiment(
      directory,
      { title, benchmark, ...(idea ? { idea: { document: idea.document.uri, id: idea.idea.id, title: idea.idea.title } } : {}), ...(preset?.revisions ? { revisions: preset.revisions } : {}) },
      environmentYaml(cwd, { runTools: vscode.workspace.isTrusted }),
    );
    await this.context.workspaceState.update(activeKey, folder);
    this.refresh();
    return folder;
  }

  /**
   * Record Baseline / Run Candidate: builds, then runs the experiment's benchmark
   * perfLab.experiments.runsPerSide times (10 by default: the methodology's runs a side, so the
   * verdict is judged over runs) and appends each run to the side. The candidate's correctness
   * command runs once, before any timing (REJECT when it fails: no run is spent on it); a
   * candidate run past killFactor x the baseline's longest run is stopped (KILL) and ends the
   * side. Cancelling keeps the runs taken so far.
   */
  record(side: Side): Promise<boolean> {
    return this.exclusively(side === 'baseline' ? 'Record Baseline' : 'Run Candidate', false, () => this.recordSide(side));
  }

  private async recordSide(side: Side): Promise<boolean> {
    const folder = await this.requireActive();
    if (!folder) return false;
    const experiment = readExperiment(folder);
    const target = experiment.benchmark as BenchmarkTarget;
    const cwd = folderOf(target.uri)?.uri.fsPath;
    if (!cwd || !requireTrust('run experiments') || !this.peakMemoryReady(target)) return false;
    const runs = Math.max(1, Math.floor(setting('experiments.runsPerSide', target.uri)));
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Perf Lab: ${side} of ${experiment.id} on ${target.id}`, cancellable: true },
      (progress, token) => measureSide(folder, side, { root: cwd }, { runs, killFactor: this.killFactor(target) }, this.steps(folder, target, progress, token)),
    );
    const finished = outcome !== 'stopped';
    if (!finished) this.reportStopped(folder);
    else this.reportSideDone(folder, side);
    return finished;
  }

  /** Says a side is done and what it measured, with the next step of the loop. */
  private reportSideDone(folder: string, side: Side): void {
    const experiment = readExperiment(folder);
    const next = side === 'baseline' ? 'Run Candidate' : 'Compare';
    const advice = side === 'baseline' ? ' Make the change, then Run Candidate.' : '';
    // Worded apart from the progress title ("Perf Lab: baseline of 001-… on …"), which ends with the work.
    void vscode.window.showInformationMessage(`Perf Lab: ${experiment.id}: ${side} recorded, ${sideSummary(experiment, side)}.${advice}`, next).then((choice) => {
      if (choice) void vscode.commands.executeCommand(side === 'baseline' ? 'perfLab.runCandidate' : 'perfLab.compareExperiment');
    });
  }

  private reportStopped(folder: string): void {
    const runs = timedRuns(readExperiment(folder)).length;
    void vscode.window.showInformationMessage(`Perf Lab: ${path.basename(folder)} stopped after ${runs} run${runs === 1 ? '' : 's'}; they are kept in experiment.json.`);
  }

  /**
   * Compare Revisions: two git revisions (or a revision and the working tree) each built in its
   * own worktree, then run interleaved, baseline and candidate alternating for the configured
   * rounds, so a machine that gets busier or quieter weighs on both sides alike. Ends with the
   * comparison (verdict.md, the before/after panel). Cancelling keeps the runs taken so far.
   */
  compareRevisions(idea?: IdeaNode, preset?: RevisionsPreset): Promise<ExperimentComparison | undefined> {
    return this.exclusively('Compare Revisions', undefined, () => this.compareRevisionsNow(idea, preset));
  }

  /**
   * One measurement at a time: two at once would share the machine (and the tasks' terminals),
   * and a side's runs would land among the other's.
   */
  private async exclusively<T>(what: string, refused: T, work: () => Promise<T>): Promise<T> {
    if (this.running) {
      void vscode.window.showWarningMessage(`Perf Lab: ${this.running} is still measuring; wait for it, or cancel it in its notification, before ${what}.`);
      return refused;
    }
    this.running = what;
    try {
      return await work();
    } finally {
      this.running = undefined;
    }
  }

  private async compareRevisionsNow(idea?: IdeaNode, preset?: RevisionsPreset): Promise<ExperimentComparison | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) return undefined;
    if (!requireTrust('compare revisions')) return undefined;
    let baseline: Revision;
    let candidate: Revision;
    let benchmark: BenchmarkTarget | undefined;
    // The revisions are of the repository of the benchmark's folder.
    let workspace = '';
    try {
      benchmark = preset?.benchmark ?? (await this.pickBenchmark(idea));
      workspace = benchmark ? (folderOf(benchmark.uri)?.uri.fsPath ?? '') : '';
      const baselineRef = benchmark && (preset?.baseline ?? (await this.pickRevision(workspace, 'Baseline (A): which revision?', false)));
      const candidateRef = baselineRef && (preset?.candidate ?? (await this.pickRevision(workspace, `Candidate (B), measured against ${baselineRef}: which revision?`, true)));
      if (!benchmark || !baselineRef || !candidateRef || !this.peakMemoryReady(benchmark)) return undefined;
      baseline = { ref: baselineRef, commit: resolveCommit(workspace, baselineRef) };
      candidate = { ref: candidateRef, commit: candidateRef === workingTree ? snapshotWorkingTree(workspace) : resolveCommit(workspace, candidateRef) };
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
      return undefined;
    }
    const rounds = Math.max(1, Math.floor(preset?.rounds ?? setting('experiments.rounds', benchmark.uri)));
    const title = preset?.title ?? idea?.idea.title ?? `${baseline.ref} vs ${candidate.ref}`;
    const folder = await this.create(idea, { benchmark, title, revisions: { baseline, candidate, rounds } });
    if (!folder) return undefined;
    const target = benchmark;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Perf Lab: ${baseline.ref} vs ${candidate.ref} on ${target.id}`, cancellable: true },
      async (progress, token): Promise<MeasureOutcome> => {
        const shared = setting('experiments.sharedPaths', target.uri);
        let places: Record<Side, SidePlace>;
        try {
          progress.report({ message: 'checking out the revisions' });
          places = {
            baseline: { root: prepareWorktree(workspace, 'baseline', baseline.commit, shared), label: `baseline ${baseline.ref}` },
            candidate: { root: prepareWorktree(workspace, 'candidate', candidate.commit, shared), label: `candidate ${candidate.ref}` },
          };
        } catch (error) {
          void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
          return 'stopped';
        }
        const steps = this.steps(folder, target, progress, token);
        steps.correctnessFailed = () => {
          const missing = untrackedInputs(workspace, shared);
          if (missing.length) {
            void vscode.window.showWarningMessage(
              `Perf Lab: the correctness check failed in the candidate's worktree, which holds only the files git tracks. Missing there: ${missing.join(', ')}. If the check reads them, add them to perfLab.experiments.sharedPaths.`,
            );
          }
        };
        return measureRevisions(folder, places, { rounds, killFactor: this.killFactor(target) }, steps);
      },
    );
    const finished = outcome !== 'stopped';
    if (!finished) {
      this.reportStopped(folder);
      return undefined;
    }
    return this.compare();
  }

  /**
   * With perfLab.experiments.instructions on ("report" or "decide"), each command of a
   * perfLab.commands benchmark runs once more under callgrind (in `root`), and its instruction
   * count is appended to the side: deterministic, so one count a side is the measurement.
   */
  private async countInstructions(folder: string, target: BenchmarkTarget, side: Side, root: string, token?: vscode.CancellationToken, label?: string): Promise<void> {
    if (setting('experiments.instructions', target.uri) === 'off' && setting('experiments.metric', target.uri) !== 'instructions') return;
    if (target.kind !== 'hyperfine') {
      // Said once per experiment, with its baseline.
      if (side === 'baseline')
        void vscode.window.showWarningMessage(
          `Perf Lab: instructions are counted for perfLab.commands benchmarks, which do the same work on every run; ${target.id} (${target.kind}) picks its iteration count by time, so it is judged by time alone.`,
        );
      return;
    }
    const command = commandBenchmarks(setting('commands', target.uri)).commands.find((candidate) => candidate.name === target.id);
    if (!command) return;
    const runs = expandCommand(command);
    const lines = runs.map((run) => run.line);
    const base = path.join(folder, 'instructions', `${side}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const folders = lines.map((_, index) => path.join(base, String(index + 1)));
    ignoredFolder(path.join(folder, 'instructions'), 'callgrind counts');
    folders.forEach((output) => mkdirSync(output, { recursive: true }));
    const exitCode = await runTask(
      { kind: 'instructions', benchmark: target.id },
      `instructions: ${target.id}${label ? ` (${label})` : ` (${side})`}`,
      instructionCountLine(lines, folders),
      root,
      token,
    );
    if (exitCode !== 0) {
      if (!token?.isCancellationRequested) void vscode.window.showErrorMessage(taskFailure(`counting the instructions of ${target.id} (${side})`, exitCode));
      return;
    }
    try {
      appendInstructionCounts(
        folder,
        side,
        root,
        runs.map(({ name }, index) => ({ name, folder: folders[index]! })),
      );
      this.refresh();
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
    }
  }

  /**
   * With perfLab.experiments.profile on, one more run of the side under perf, saved as
   * `profiles/<side>.perf.txt` in the experiment: with both sides there, the before/after panel
   * offers their differential flame graph.
   */
  private async profileSide(folder: string, target: BenchmarkTarget, side: Side, root: string, token?: vscode.CancellationToken): Promise<void> {
    if (!setting('experiments.profile', target.uri)) return;
    try {
      const command = await benchCommand(target, root);
      const exitCode = await recordProfile(benchmarkProfileCommand(command), root, 'perf', sideProfile(folder, side), 'fp', token);
      if (exitCode !== 0 && !token?.isCancellationRequested) void vscode.window.showWarningMessage(taskFailure(`profiling the ${side} of ${target.id}`, exitCode));
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
    }
  }

  /** Loads both sides' profiles and shows the candidate's flame graph coloured by its change from the baseline. */
  async showDifferential(folder: string): Promise<FlamePanel | undefined> {
    const before = await this.profiles.open(vscode.Uri.file(sideProfile(folder, 'baseline')));
    const after = before && (await this.profiles.open(vscode.Uri.file(sideProfile(folder, 'candidate'))));
    return after ? FlamePanel.show(this.context, this.server, { profileId: after.id, compareTo: before.id }) : undefined;
  }

  /**
   * Peak memory needs GNU time: an experiment decided by it does not start without it (its runs
   * would end in no verdict); others say once that memory goes unrecorded.
   */
  private peakMemoryReady(target: BenchmarkTarget): boolean {
    if (canMeasurePeakMemory()) return true;
    const missing = `GNU time (${gnuTime}; Debian: time) is not installed`;
    if (setting('experiments.metric', target.uri) === 'peak memory') {
      void vscode.window.showErrorMessage(`Perf Lab: perfLab.experiments.metric is "peak memory", but ${missing}: install it, or decide by time.`);
      return false;
    }
    if (!this.toldPeakMemoryMissing) void vscode.window.showWarningMessage(`Perf Lab: ${missing}, so the runs' peak memory is not recorded.`);
    this.toldPeakMemoryMissing = true;
    return true;
  }

  /** The methodology's KILL factor: a candidate run past it times the baseline's is stopped. */
  private killFactor(target: BenchmarkTarget): number {
    return methodology(target.uri).thresholds.killFactor ?? defaultThresholds.killFactor;
  }

  /**
   * The pipeline's steps as VS Code runs them: tasks in the terminal, the notification's progress
   * and Cancel, views refreshed as runs land.
   */
  private steps(folder: string, target: BenchmarkTarget, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): MeasureSteps {
    return {
      build: (place) => this.build(target, place.root, place.label, token),
      checkCorrectness: (place) => this.checkCorrectness(target, place.root, token),
      measure: async (place, _side, limitSeconds) => {
        // A revision's runs are not shown in the lens: they are not the working tree's results.
        const inWorktree = place.label !== undefined;
        const run = await measureBenchmark(this.server, target, {
          build: false,
          token,
          peakMemory: true,
          ...(inWorktree ? { root: place.root, report: false, label: place.label } : {}),
          ...(limitSeconds === undefined ? {} : { limitSeconds }),
        });
        return (
          run && {
            results: run.output?.benchmarks.map(({ name, unit, samples }) => ({ name, unit, samples })) ?? [],
            seconds: run.seconds,
            overLimit: run.overLimit,
            ...(run.peakMemoryBytes ? { peakMemoryBytes: run.peakMemoryBytes } : {}),
          }
        );
      },
      countInstructions: (place, side) => this.countInstructions(folder, target, side, place.root, token, place.label),
      profile: (place, side) => this.profileSide(folder, target, side, place.root, token),
      progress: (message, increment) => progress.report({ message, ...(increment === undefined ? {} : { increment }) }),
      cancelled: () => token.isCancellationRequested,
      changed: () => this.refresh(),
    };
  }

  /** perfLab.experiments.buildCommand (in `root`), then the benchmark's own build step. */
  private async build(target: BenchmarkTarget, root: string, label?: string, token?: vscode.CancellationToken): Promise<boolean> {
    const suffix = label ? ` (${label})` : '';
    const buildCommand = setting('experiments.buildCommand', target.uri).trim();
    try {
      const command = await benchCommand(target, root);
      const steps = [...(buildCommand ? [{ line: buildCommand, cwd: root }] : []), ...(command.build ? [{ line: command.build, cwd: command.cwd }] : [])];
      for (const step of steps) {
        const exitCode = await runTask({ kind: 'build', benchmark: target.id }, `build: ${target.id}${suffix}`, step.line, step.cwd, token);
        if (exitCode !== 0) {
          if (!token?.isCancellationRequested) void vscode.window.showErrorMessage(taskFailure(`building ${target.id}${suffix} (${step.line})`, exitCode));
          return false;
        }
      }
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
      return false;
    }
  }

  /** Runs perfLab.experiments.correctnessCommand in `root`, when one is set; a failure means REJECT. */
  private async checkCorrectness(target: BenchmarkTarget, root: string, token?: vscode.CancellationToken): Promise<Correctness | undefined> {
    const command = setting('experiments.correctnessCommand', target.uri).trim();
    if (!command) return undefined;
    const exitCode = (await runTask({ kind: 'correctness' }, `correctness: ${command}`, command, root, token)) ?? null;
    if (exitCode !== 0 && !token?.isCancellationRequested) void vscode.window.showWarningMessage(`Perf Lab: the correctness check "${command}" failed on the candidate: the verdict will be REJECT.`);
    return { command, exitCode };
  }

  private async pickRevision(workspace: string, title: string, offerWorkingTree: boolean): Promise<string | undefined> {
    const subject = (ref: string) => {
      try {
        return git(workspace, ['log', '-1', '--format=%h %s', ref]);
      } catch {
        return undefined;
      }
    };
    const refs = ['HEAD', 'HEAD~1', ...revisionChoices(workspace)];
    const items: (vscode.QuickPickItem & { ref: string })[] = [
      ...(offerWorkingTree ? [{ label: '$(edit) Working tree', description: 'the files as they are now, uncommitted changes included', ref: workingTree }] : []),
      ...refs.flatMap((ref) => {
        const description = subject(ref);
        return description ? [{ label: ref, description, ref }] : [];
      }),
      { label: '$(git-commit) Other revision…', description: 'a commit, branch or tag', ref: '' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
    if (!picked || picked.ref) return picked?.ref;
    return vscode.window.showInputBox({
      title,
      prompt: 'A commit, branch or tag',
      validateInput: (value) => {
        try {
          resolveCommit(workspace, value.trim());
          return undefined;
        } catch {
          return `git knows no commit "${value.trim()}"`;
        }
      },
    });
  }

  /** Compares the sides, writes verdict.md and shows the before/after panel. */
  async compare(): Promise<ReturnType<typeof compareExperiment> | undefined> {
    const folder = await this.requireActive();
    if (!folder) return undefined;
    const experiment = readExperiment(folder);
    const benchmarkUri = (experiment.benchmark as BenchmarkTarget).uri;
    const rules = methodology(benchmarkUri);
    const metric = setting('experiments.metric', benchmarkUri);
    const decideBy = metric === 'peak memory' ? 'peak memory' : metric === 'instructions' || setting('experiments.instructions', benchmarkUri) === 'decide' ? 'instructions' : 'time';
    let comparison;
    try {
      comparison = compareExperiment(experiment, rules.thresholds, decideBy);
    } catch (error) {
      void vscode.window.showWarningMessage(`Perf Lab: ${errorText(error)}`);
      return undefined;
    }
    const markdown = experimentMarkdown(experiment, comparison, rules.source);
    saveVerdict(folder, savedVerdict(comparison), markdown);
    this.refresh();
    const basis = basisSentence(comparison.rows, experiment.revisions !== undefined);
    DeltasPanel.show(
      this.context.extensionUri,
      deltasData(experiment, comparison, basis),
      markdown,
      existsSync(sideProfile(folder, 'baseline')) && existsSync(sideProfile(folder, 'candidate')) ? () => void this.showDifferential(folder) : undefined,
    );
    return comparison;
  }

  /** Writes the verdict and the measured delta into the idea the experiment tests. */
  async decide(): Promise<boolean> {
    const folder = await this.requireActive();
    if (!folder) return false;
    let experiment = readExperiment(folder);
    if (!experiment.verdict) {
      if (!(await this.compare())) return false;
      experiment = readExperiment(folder);
    }
    const verdict = experiment.verdict!;
    if (!experiment.idea) {
      void vscode.window.showInformationMessage(`Perf Lab: ${experiment.id} is ${verdict.verdict}; it tests no idea to update.`);
      return false;
    }
    await this.ideas.reload();
    const idea = this.ideas.allIdeas().find((entry) => entry.idea.id === experiment.idea!.id && entry.document.uri === experiment.idea!.document);
    if (!idea) {
      void vscode.window.showWarningMessage(`Perf Lab: the idea "${experiment.idea.title}" is no longer in ${experiment.idea.document}.`);
      return false;
    }
    const measured = measuredText(verdict, experiment.id);
    // NOISY says the runs could not decide: the idea keeps its status until more runs do.
    if (!isDecision(verdict.verdict)) {
      void vscode.window.showWarningMessage(
        `Perf Lab: ${experiment.id} is ${verdict.verdict}${verdict.reason ? ` (${verdict.reason})` : ''}: not a decision, so "${idea.idea.title}" is unchanged. Record more runs a side (perfLab.experiments.runsPerSide) and Decide again.`,
      );
      return false;
    }
    const missing = this.ideas.missingColumns(idea, ['status', 'measured']);
    if (missing.length && !(await this.ideas.agreeToAddColumns(idea, missing))) return false;
    if (!(await this.ideas.setStatus(idea, verdict.verdict, missing.includes('Status')))) return false;
    await this.ideas.reload();
    const updated = this.ideas.allIdeas().find((entry) => entry.idea.id === idea.idea.id && entry.document.uri === idea.document.uri) ?? idea;
    const written = await this.ideas.recordMeasured(updated, measured, missing.includes('Measured'));
    if (written) void vscode.window.showInformationMessage(`Perf Lab: "${idea.idea.title}" is ${verdict.verdict}: ${measured}`);
    return written;
  }

  private async requireActive(): Promise<string | undefined> {
    const active = this.active;
    if (active) return active;
    void vscode.window.showInformationMessage('Perf Lab: start an experiment first ("Perf Lab: New Experiment…").');
    return undefined;
  }

  private pickBenchmark(idea?: IdeaNode): Promise<BenchmarkTarget | undefined> {
    return pickBenchmark(this.server, 'Which benchmark measures the change?', idea?.idea);
  }
}
