import * as vscode from 'vscode';
import { folderOf } from './settings';
import type { PerfLabTaskDefinition } from './taskDefinition';

/** Whether the workspace is trusted; when not, says that `action` (e.g. "run benchmarks") needs trust. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`Perf Lab runs nothing from an untrusted workspace. Trust it to ${action}.`);
  return false;
}

export { shellQuote } from '../core/shell';

/**
 * Our command lines are POSIX sh (quoted by shellQuote, piped to tee): they run in /bin/sh
 * whatever the user's terminal shell is. In fish, `\'` inside single quotes ends nothing, so a
 * benchmark name could close the quoting and run a command of its own.
 */
const posixShell: vscode.ShellExecutionOptions = { executable: '/bin/sh', shellArgs: ['-c'] };

/** A shell task of type `perf-lab`: the exact command shows in the terminal. */
export function shellTask(definition: PerfLabTaskDefinition, name: string, line: string, cwd: string): vscode.Task {
  // The folder the task runs in (a revision's worktree elsewhere belongs to the first folder).
  const folder = folderOf(vscode.Uri.file(cwd));
  const execution = new vscode.ShellExecution(line, { ...posixShell, cwd });
  const task = new vscode.Task({ type: 'perf-lab', ...definition }, folder ?? vscode.TaskScope.Workspace, name, 'perf-lab', execution);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
  return task;
}

/**
 * Runs a shell command line as a VS Code task (stopping the task stops its processes) and
 * resolves with the exit code, or undefined when the task was stopped.
 */
export async function runTask(definition: PerfLabTaskDefinition, name: string, line: string, cwd: string, token?: vscode.CancellationToken): Promise<number | undefined> {
  return (await runTimedTask(shellTask(definition, name, line, cwd), undefined, token)).exitCode;
}

export interface TaskOutcome {
  /** Undefined when the task was stopped (by the user or the time limit). */
  exitCode: number | undefined;
  seconds: number;
  /** Stopped because it ran past `limitSeconds`. */
  overLimit: boolean;
}

/**
 * Runs a task, timing it; past `limitSeconds`, or when `token` is cancelled, it is terminated
 * (its process tree ends with it).
 */
export async function runTimedTask(task: vscode.Task, limitSeconds?: number, token?: vscode.CancellationToken): Promise<TaskOutcome> {
  const started = Date.now();
  const execution = await vscode.tasks.executeTask(task);
  const cancelled = token?.onCancellationRequested(() => execution.terminate());
  if (token?.isCancellationRequested) execution.terminate();
  let overLimit = false;
  const timer =
    limitSeconds === undefined
      ? undefined
      : setTimeout(() => {
          overLimit = true;
          execution.terminate();
        }, limitSeconds * 1000);
  return new Promise((resolve) => {
    const listener = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution === execution) {
        listener.dispose();
        cancelled?.dispose();
        clearTimeout(timer);
        resolve({ exitCode: overLimit ? undefined : event.exitCode, seconds: (Date.now() - started) / 1000, overLimit });
      }
    });
  });
}

/**
 * How a task ended that did not succeed, for an error message: "building shard_of failed with
 * exit code 101; see the terminal." (undefined: the task was stopped).
 */
export function taskFailure(what: string, exitCode: number | undefined): string {
  return `Perf Lab: ${what} ${exitCode === undefined ? 'was stopped' : `failed with exit code ${exitCode}`}; see the terminal.`;
}
