import * as vscode from 'vscode';
import { formatDuration, plural } from '../core/format';
import { BenchmarkTarget, LensCommandId, ProfileSummaryItem, ServerInfo, SetBenchmarkBaselineRequest } from '../protocol/lsp';
import { profileBenchmark, runBenchmark } from './benchTasks';
import { BenchmarkNode, BenchmarksView } from './benchmarksView';
import { Experiments, RevisionsPreset } from './experiments';
import { FlamePanel } from './flamePanel';
import { HeatDecorations } from './heatDecorations';
import { IdeaNode, IdeasView } from './ideasView';
import { errorText, PerfLabLanguageServer } from './languageServer';
import { profileCommand, Profiler } from './profileTasks';
import { ProfilesView } from './profilesView';
import { TargetNode, TargetsView } from './targetsView';

/** What every command may use. */
export interface CommandContext {
  readonly server: PerfLabLanguageServer;
  readonly output: vscode.LogOutputChannel;
  readonly ideas: IdeasView;
  readonly profiles: ProfilesView;
  readonly heat: HeatDecorations;
  readonly extension: vscode.ExtensionContext;
  readonly benchmarks: BenchmarksView;
  readonly targets: TargetsView;
  readonly experiments: Experiments;
}

type CommandFactory = (context: CommandContext) => (...args: unknown[]) => unknown;

/** Every Perf Lab command, by the id package.json contributes. */
export const commandTable = {
  'perfLab.showServerInfo': (context) => async (): Promise<ServerInfo> => {
    const info = await context.server.info();
    const summary = describeServer(info);
    context.output.info(summary);
    void vscode.window.showInformationMessage(summary);
    return info;
  },
  'perfLab.restartServer': (context) => async (): Promise<void> => {
    context.output.info('restarting the language server on request');
    await context.server.restart();
  },
  'perfLab.showOutput': (context) => (): void => context.output.show(true),
  'perfLab.ideas.refresh': (context) => () => context.ideas.reload(),
  'perfLab.ideas.groupByStatus': (context) => () => context.ideas.setGroupBy('status'),
  'perfLab.ideas.groupByDocument': (context) => () => context.ideas.setGroupBy('document'),
  'perfLab.ideas.filter': (context) => async () => {
    const filter = await vscode.window.showInputBox({ title: 'Filter ideas', prompt: 'Text in the title, status, section or notes', value: context.ideas.currentFilter });
    if (filter !== undefined) context.ideas.setFilter(filter);
  },
  'perfLab.ideas.clearFilter': (context) => () => context.ideas.setFilter(''),
  'perfLab.ideas.open': (context) => (target: unknown) => context.ideas.open(target as IdeaNode | { uri: string; line: number }),
  'perfLab.ideas.goToLocation': (context) => (node: unknown) => context.ideas.goToLocation(node as IdeaNode | undefined),
  // A third argument `true` (from scripts and tests) adds a column the idea's table lacks without asking.
  'perfLab.ideas.setStatus': (context) => (node: unknown, status: unknown, addColumn: unknown) =>
    context.ideas.setStatus(node as IdeaNode | undefined, typeof status === 'string' ? status : undefined, addColumn === true ? true : undefined),
  'perfLab.ideas.recordMeasured': (context) => (node: unknown, measured: unknown, addColumn: unknown) =>
    context.ideas.recordMeasured(node as IdeaNode | undefined, typeof measured === 'string' ? measured : undefined, addColumn === true ? true : undefined),
  'perfLab.ideas.copyMarkdown': (context) => (node: unknown) => context.ideas.copyMarkdown(node as IdeaNode | undefined),
  'perfLab.newIdea': (context) => () => context.ideas.newIdea(),
  'perfLab.openProfile': (context) => (file: unknown) => context.profiles.open(file instanceof vscode.Uri ? file : undefined),
  'perfLab.mapSourceFolder': (context) => (request: unknown) =>
    context.profiles.mapSourceFolder(request && typeof request === 'object' ? (request as { profile?: string; from?: string; to?: string }) : undefined),
  'perfLab.profileCommand': (context) => (preset: unknown) => profileCommand(context.profiles, preset as { command: string; profiler: Profiler } | undefined, context.experiments.profilesFolder),
  'perfLab.profileMemory': (context) => (preset: unknown) =>
    profileCommand(context.profiles, { ...(preset as { command?: string; profiler?: Profiler } | undefined), memory: true }, context.experiments.profilesFolder),
  'perfLab.profiles.setActive': (context) => (profile: unknown) => context.profiles.setActive(profile as ProfileSummaryItem),
  'perfLab.compareProfiles': (context) => async () => {
    const loaded = context.profiles.getChildren();
    if (loaded.length < 2) {
      void vscode.window.showInformationMessage('Perf Lab: load two profiles (for example a baseline and a candidate run) to compare them.');
      return undefined;
    }
    const pick = (title: string, except?: string) =>
      vscode.window.showQuickPick(
        loaded.filter((profile) => profile.id !== except).map((profile) => ({ label: profile.path.split('/').pop()!, description: `${profile.samples} samples`, profile })),
        { title },
      );
    const before = await pick('Baseline (before)');
    if (!before) return undefined;
    const after = await pick('Candidate (after)', before.profile.id);
    if (!after) return undefined;
    return FlamePanel.show(context.extension, context.server, { profileId: after.profile.id, compareTo: before.profile.id });
  },
  'perfLab.runBenchmark': (context) => async (target: unknown) => {
    const output = await runBenchmark(context.server, benchmarkTarget(target));
    await context.benchmarks.reload();
    return output;
  },
  'perfLab.profileBenchmark': (context) => (target: unknown) =>
    profileBenchmark(context.server, context.profiles, target === undefined ? undefined : benchmarkTarget(target), context.experiments.profilesFolder),
  'perfLab.benchmarks.refresh': (context) => () => context.benchmarks.reload(),
  'perfLab.targets.refresh': (context) => () => context.targets.reload(),
  'perfLab.targets.recordAsCurrent': (context) => (node: unknown) => context.targets.recordAsCurrent(node as TargetNode | undefined),
  'perfLab.setBenchmarkBaseline': (context) => async (target: unknown) => {
    try {
      const chosen = benchmarkTarget(target);
      await context.server.request(SetBenchmarkBaselineRequest.type, { target: chosen });
      await context.benchmarks.reload();
      void vscode.window.showInformationMessage(`Perf Lab: the last result of ${chosen.id} is its baseline now; later runs show their change against it in the lens.`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
    }
  },
  'perfLab.newExperiment': (context) => (idea: unknown, preset: unknown) =>
    context.experiments.create((idea as IdeaNode | undefined)?.kind === 'idea' ? (idea as IdeaNode) : undefined, preset as { benchmark: BenchmarkTarget; title?: string } | undefined),
  'perfLab.compareRevisions': (context) => (idea: unknown, preset: unknown) =>
    context.experiments.compareRevisions((idea as IdeaNode | undefined)?.kind === 'idea' ? (idea as IdeaNode) : undefined, preset as RevisionsPreset | undefined),
  'perfLab.recordBaseline': (context) => () => context.experiments.record('baseline'),
  'perfLab.runCandidate': (context) => () => context.experiments.record('candidate'),
  'perfLab.compareExperiment': (context) => () => context.experiments.compare(),
  'perfLab.decideExperiment': (context) => () => context.experiments.decide(),
  'perfLab.exportFlameGraph': (context) => () => FlamePanel.export(context.extension, context.server),
  'perfLab.showFlameGraph': (context) => (target: unknown) => {
    const given = target as { profileId?: string; id?: string } | undefined;
    const profileId = given?.profileId ?? given?.id;
    return FlamePanel.show(context.extension, context.server, profileId ? { profileId } : {});
  },
} satisfies Record<string, CommandFactory>;

export type CommandId = keyof typeof commandTable;

// Every command a server CodeLens names is registered here (a compile error names the missing one).
const lensCommandsAreRegistered: Exclude<LensCommandId, CommandId> extends never ? true : Exclude<LensCommandId, CommandId> = true;
void lensCommandsAreRegistered;

/** A CodeLens passes a target; the Benchmarks view passes its tree node. */
function benchmarkTarget(argument: unknown): BenchmarkTarget {
  const kind = (argument as { kind?: string } | undefined)?.kind;
  if (kind === 'benchmark') return BenchmarksView.target(argument as BenchmarkNode)!;
  return argument as BenchmarkTarget;
}

export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, factory]) => vscode.commands.registerCommand(id, (factory as CommandFactory)(context)));
}

function describeServer(info: ServerInfo): string {
  return (
    `Perf Lab language server ${info.version} is running (pid ${info.pid}, Node ${info.node}, ` +
    `up ${formatDuration(info.uptimeMs)}, ${plural(info.openDocuments.length, 'open document')}, ` +
    `${plural(info.ideas.ideas, 'idea')} in ${plural(info.ideas.documents, 'document')}, ${plural(info.profiles, 'profile')} loaded).`
  );
}
