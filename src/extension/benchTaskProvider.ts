/**
 * The `perf-lab` task type: every benchmark Perf Lab finds is a task ("Tasks: Run Task" →
 * perf-lab), filtered to that benchmark, which users can pin in tasks.json:
 *   { "type": "perf-lab", "kind": "benchmark", "tool": "criterion", "benchmark": "shard_of",
 *     "file": "rust/wordfreq/benches/criterion_benches.rs" }
 * When such a task ends well, its results go to the lens and the Benchmarks view as for "▶ Benchmark".
 */
import * as vscode from 'vscode';
import { BenchmarkFileItem, BenchmarksRequest } from '../protocol/lsp';
import type { BenchCommand } from '../core/bench';
import { benchCommand, benchmarkTargetOf, BenchmarkTaskDefinition, benchmarkTaskDefinition, reportResults } from './benchTasks';
import { errorText, PerfLabLanguageServer } from './languageServer';
import { folderOf } from './settings';
import { shellTask } from './tasks';

export class BenchmarkTaskProvider implements vscode.TaskProvider, vscode.Disposable {
  /** How to read the results of the tasks this provider built, by their command line. */
  private readonly commands = new Map<string, BenchCommand>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly server: PerfLabLanguageServer,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.disposables = [vscode.tasks.registerTaskProvider('perf-lab', this), vscode.tasks.onDidEndTaskProcess((event) => void this.ended(event))];
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const files: BenchmarkFileItem[] = await this.server.request(BenchmarksRequest.type);
    const tasks = await Promise.all(
      files.flatMap((file) =>
        file.benchmarks.map(({ uri, kind, id, group }) =>
          // Scoped to the benchmark's folder (shellTask takes it from the cwd): its file is relative to that folder.
          this.resolveTask(shellTask(benchmarkTaskDefinition({ uri, kind, id, ...(group ? { group } : {}) }), `benchmark: ${id}`, '', folderOf(uri)?.uri.fsPath ?? '')),
        ),
      ),
    );
    return tasks.filter((task): task is vscode.Task => task !== undefined);
  }

  /** Gives a pinned (or provided) benchmark task its command line. */
  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    const target = benchmarkTargetOf(task);
    if (!target || !vscode.workspace.isTrusted) return undefined;
    let command: BenchCommand;
    try {
      command = await benchCommand(target);
    } catch (error) {
      // e.g. a Google Benchmark not built yet: no task rather than one that cannot run.
      this.output.warn(`no task for ${target.id}: ${errorText(error)}`);
      return undefined;
    }
    const name = `benchmark: ${target.id}`;
    const line = command.build ? `${command.build} && ${command.line}` : command.line;
    this.commands.set(line, command);
    if (this.commands.size > 500) this.commands.delete(this.commands.keys().next().value!);
    const resolved = shellTask(task.definition as BenchmarkTaskDefinition, name, line, command.cwd);
    resolved.group = vscode.TaskGroup.Test;
    return resolved;
  }

  /**
   * A user-run benchmark task finished: show its results. Perf Lab's own runs report themselves
   * (their command lines are not the provider's, so they are not found here).
   */
  private async ended(event: vscode.TaskProcessEndEvent): Promise<void> {
    const task = event.execution.task;
    const line = task.execution instanceof vscode.ShellExecution ? task.execution.commandLine : undefined;
    const command = line === undefined ? undefined : this.commands.get(line);
    const target = benchmarkTargetOf(task);
    if (event.exitCode !== 0 || !command || !target) return;
    try {
      await reportResults(this.server, target, command.results());
    } catch (error) {
      this.output.warn(`results of ${target.id}: ${errorText(error)}`);
    }
  }
}
