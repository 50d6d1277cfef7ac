import { reportSettingProblemsTo } from './settings';
import * as vscode from 'vscode';
import { perfLabVersion } from '../core/version';
import { registerCommands } from './commands';
import { BenchmarkTaskProvider } from './benchTaskProvider';
import { BenchmarksView } from './benchmarksView';
import { Experiments } from './experiments';
import { FlamePanel } from './flamePanel';
import { HeatDecorations } from './heatDecorations';
import { IdeasView } from './ideasView';
import { PerfLabLanguageServer } from './languageServer';
import { ProfilesView } from './profilesView';
import { TargetsView } from './targetsView';

/** What the extension hands to other extensions and to its own integration tests. */
export interface PerfLabApi {
  readonly ideas: IdeasView;
  readonly profiles: ProfilesView;
  readonly heat: HeatDecorations;
  readonly benchmarks: BenchmarksView;
  readonly experiments: Experiments;
  readonly targets: TargetsView;
}

/** Wires the features together; each lives in its own module. */
export async function activate(context: vscode.ExtensionContext): Promise<PerfLabApi> {
  const output = vscode.window.createOutputChannel('Perf Lab', { log: true });
  context.subscriptions.push(output);
  reportSettingProblemsTo(output);
  output.info(`Perf Lab ${perfLabVersion} activating (workspace trusted: ${vscode.workspace.isTrusted})`);

  const server = new PerfLabLanguageServer(context, output);
  const ideas = new IdeasView(server);
  const profiles = new ProfilesView(server);
  const heat = new HeatDecorations(server);
  const benchmarks = new BenchmarksView(server);
  const targets = new TargetsView(server);
  const experiments = new Experiments(context, server, ideas, profiles);
  const benchmarkTasks = new BenchmarkTaskProvider(server, output);
  context.subscriptions.push(
    server,
    ideas,
    profiles,
    heat,
    benchmarks,
    targets,
    experiments,
    benchmarkTasks,
    profiles.onDidChangeActive(() => heat.schedule()),
  );
  context.subscriptions.push(
    ...registerCommands({ server, output, ideas, profiles, heat, benchmarks, targets, experiments, extension: context }),
    FlamePanel.registerSerializer(context, server, profiles),
  );

  try {
    await server.start();
    await Promise.all([ideas.reload(), benchmarks.reload(), targets.reload()]);
  } catch {
    // start() showed the failure once, with the output; activation still succeeds, and the
    // commands' requests reject with it instead of waiting for a server that never comes.
  }
  return { ideas, profiles, heat, benchmarks, experiments, targets };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
