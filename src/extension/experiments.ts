import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  appendRun,
  candidateTimeLimit,
  compareExperiment,
  createExperiment,
  environmentYaml,
  Experiment,
  experimentMarkdown,
  gitState,
  listExperiments,
  readExperiment,
  samplesBySide,
  saveVerdict,
  WorkspaceThresholds,
  workspaceThresholds,
} from '../core/experiments';
import { defaultThresholds, Thresholds } from '../core/stats';
import { BenchmarkFileItem, BenchmarksRequest, BenchmarkTarget } from '../protocol/lsp';
import { measureBenchmark } from './benchTasks';
import { runTask } from './tasks';
import { DeltasPanel } from './deltasPanel';
import { IdeaNode, IdeasView } from './ideasView';
import { PerfLabLanguageServer } from './languageServer';

const activeKey = 'perfLab.activeExperiment';

/** The team's thresholds: the defaults, then the methodology document, then the perfLab.methodology setting. */
export function methodology(): WorkspaceThresholds {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const settings = vscode.workspace.getConfiguration('perfLab', folder?.uri);
  const overrides = settings.get<Partial<Thresholds>>('methodology', {});
  return folder ? workspaceThresholds(folder.uri.fsPath, settings.get<string>('methodologyFile'), overrides) : { thresholds: overrides };
}

interface ExperimentNode {
  folder: string;
  experiment: Experiment;
}

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

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly server: PerfLabLanguageServer,
    private readonly ideas: IdeasView,
  ) {
    this.status.name = 'Perf Lab Experiment';
    this.status.command = 'perfLab.compareExperiment';
    this.disposables = [vscode.window.registerTreeDataProvider('perfLab.experiments', this), this.changed, this.status];
    this.refresh();
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  private get directory(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    return path.resolve(folder.uri.fsPath, vscode.workspace.getConfiguration('perfLab.experiments', folder.uri).get<string>('directory', 'docs/perf/experiments'));
  }

  get active(): string | undefined {
    return this.context.workspaceState.get<string>(activeKey);
  }

  refresh(): void {
    const active = this.active;
    if (active) {
      try {
        const experiment = readExperiment(active);
        this.status.text = `$(beaker) ${experiment.id}${experiment.verdict ? ` · ${experiment.verdict.verdict}` : ` · ${experiment.runs.length} runs`}`;
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

  getChildren(): ExperimentNode[] {
    return this.directory ? listExperiments(this.directory) : [];
  }

  getTreeItem(node: ExperimentNode): vscode.TreeItem {
    const { experiment } = node;
    const item = new vscode.TreeItem(`${experiment.id}`);
    const baselines = experiment.runs.filter((run) => run.side === 'baseline').length;
    const candidates = experiment.runs.length - baselines;
    const delta = experiment.verdict?.deltaPct;
    const deltaText = typeof delta === 'number' && Number.isFinite(delta) ? ` · ${delta > 0 ? '+' : ''}${delta.toFixed(1)}%` : '';
    item.description = experiment.verdict ? `${experiment.verdict.verdict}${deltaText}` : `${baselines} baseline, ${candidates} candidate runs`;
    item.tooltip = `${experiment.title}\n${experiment.benchmark.id}${experiment.idea ? `\nIdea: ${experiment.idea.title}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(node.folder === this.active ? 'beaker' : 'history');
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(path.join(node.folder, experiment.verdict ? 'verdict.md' : 'experiment.json'))] };
    item.id = node.folder;
    return item;
  }

  /** New Experiment: for an idea (from the Ideas view) or free-standing; asks which benchmark measures it. */
  async create(idea?: IdeaNode, preset?: { benchmark: BenchmarkTarget; title?: string }): Promise<string | undefined> {
    const directory = this.directory;
    if (!directory) return undefined;
    const benchmark = preset?.benchmark ?? (await this.pickBenchmark());
    if (!benchmark) return undefined;
    const title = preset?.title ?? idea?.idea.title ?? (await vscode.window.showInputBox({ title: 'New Experiment', prompt: 'What change is tested?' }));
    if (!title) return undefined;
    const cwd = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const { folder } = createExperiment(
      directory,
      { title, benchmark, ...(idea ? { idea: { document: idea.document.uri, id: idea.idea.id, title: idea.idea.title } } : {}) },
      environmentYaml(cwd),
    );
    await this.context.workspaceState.update(activeKey, folder);
    this.refresh();
    return folder;
  }

  /**
   * Runs the experiment's benchmark and records the run as baseline or candidate. A candidate
   * run is stopped past killFactor x the baseline's longest run (KILL), and is followed by the
   * correctness command when one is set (REJECT when it fails).
   */
  async record(side: 'baseline' | 'candidate'): Promise<boolean> {
    const folder = await this.requireActive();
    if (!folder) return false;
    const experiment = readExperiment(folder);
    const cwd = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const baselineSeconds = Math.max(0, ...experiment.runs.filter((run) => run.side === 'baseline').map((run) => run.seconds ?? 0));
    const killFactor = methodology().thresholds.killFactor ?? defaultThresholds.killFactor;
    const limit = side === 'candidate' && baselineSeconds > 0 ? candidateTimeLimit(baselineSeconds, killFactor) : undefined;
    const run = await measureBenchmark(this.server, experiment.benchmark as BenchmarkTarget, limit);
    if (!run) return false;
    const correctnessCommand = side === 'candidate' && !run.overLimit ? vscode.workspace.getConfiguration('perfLab.experiments').get<string>('correctnessCommand', '').trim() : '';
    const correctness = correctnessCommand ? { command: correctnessCommand, exitCode: (await runTask({ kind: 'correctness' }, `correctness: ${correctnessCommand}`, correctnessCommand, cwd)) ?? null } : undefined;
    appendRun(folder, {
      side,
      at: new Date().toISOString(),
      ...gitState(cwd),
      results: run.output?.benchmarks.map(({ name, unit, samples }) => ({ name, unit, samples })) ?? [],
      seconds: run.seconds,
      ...(run.overLimit ? { overLimit: true } : {}),
      ...(correctness ? { correctness } : {}),
    });
    if (correctness && correctness.exitCode !== 0) void vscode.window.showWarningMessage(`Perf Lab: the correctness check "${correctness.command}" failed on the candidate: the verdict will be REJECT.`);
    this.refresh();
    return true;
  }

  /** Compares the sides, writes verdict.md and shows the before/after panel. */
  async compare(): Promise<ReturnType<typeof compareExperiment> | undefined> {
    const folder = await this.requireActive();
    if (!folder) return undefined;
    const experiment = readExperiment(folder);
    const rules = methodology();
    let comparison;
    try {
      comparison = compareExperiment(experiment, rules.thresholds);
    } catch (error) {
      void vscode.window.showWarningMessage(`Perf Lab: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const headline = comparison.rows.length === 1 ? comparison.rows[0]! : undefined;
    const markdown = experimentMarkdown(experiment, comparison, rules.source);
    saveVerdict(
      folder,
      {
        verdict: comparison.verdict,
        deltaPct: headline?.deltaPct ?? comparison.geomeanDeltaPct,
        ci: headline?.ci ?? [Number.NaN, Number.NaN],
        p: headline?.p ?? (comparison.rows.length ? Math.min(...comparison.rows.map((row) => row.p)) : Number.NaN),
        ...(comparison.reason ? { reason: comparison.reason } : {}),
      },
      markdown,
    );
    this.refresh();
    const before = samplesBySide(experiment, 'baseline');
    const after = samplesBySide(experiment, 'candidate');
    DeltasPanel.show(
      this.context.extensionUri,
      {
        experimentId: experiment.id,
        title: experiment.title,
        ...(experiment.idea ? { idea: experiment.idea.title } : {}),
        verdict: comparison.verdict,
        ...(comparison.reason ? { reason: comparison.reason } : {}),
        geomeanDeltaPct: comparison.geomeanDeltaPct,
        rows: comparison.rows.map((row) => ({
          name: row.name,
          unit: row.unit,
          baseline: { median: row.baseline.median, n: row.baseline.n, cv: row.baseline.cv, samples: before.get(row.name)?.samples ?? [] },
          candidate: { median: row.candidate.median, n: row.candidate.n, cv: row.candidate.cv, samples: after.get(row.name)?.samples ?? [] },
          deltaPct: row.deltaPct,
          ci: row.ci,
          p: row.p,
          verdict: row.verdict,
          reason: row.reason,
        })),
      },
      markdown,
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
    const pct = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(1)}%`;
    // deltaPct is null (NaN written as JSON) when REJECT or KILL came before any statistics.
    const measured =
      typeof verdict.deltaPct === 'number' && Number.isFinite(verdict.deltaPct)
        ? `${pct(verdict.deltaPct)} median${Number.isFinite(verdict.ci[0]) ? ` [${pct(verdict.ci[0])}, ${pct(verdict.ci[1])}]` : ''}, p=${typeof verdict.p === 'number' ? verdict.p.toPrecision(2) : 'n/a'} (${experiment.id})`
        : `${verdict.reason ?? 'no measurement'} (${experiment.id})`;
    if (!(await this.ideas.setStatus(idea, verdict.verdict))) return false;
    await this.ideas.reload();
    const updated = this.ideas.allIdeas().find((entry) => entry.idea.id === idea.idea.id && entry.document.uri === idea.document.uri) ?? idea;
    return this.ideas.recordMeasured(updated, measured);
  }

  private async requireActive(): Promise<string | undefined> {
    const active = this.active;
    if (active) return active;
    void vscode.window.showInformationMessage('Perf Lab: start an experiment first ("Perf Lab: New Experiment…").');
    return undefined;
  }

  private async pickBenchmark(): Promise<BenchmarkTarget | undefined> {
    const files: BenchmarkFileItem[] = await this.server.request(BenchmarksRequest.type);
    const items = files.flatMap((file) => file.benchmarks.map(({ uri, kind, id, group }) => ({ label: id, description: file.path, target: { uri, kind, id, ...(group ? { group } : {}) } })));
    return (await vscode.window.showQuickPick(items, { title: 'Which benchmark measures the change?' }))?.target;
  }
}
