import * as vscode from 'vscode';

/** A word for the shell: single-quoted, inner quotes escaped. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs a shell command line as a VS Code task of type `perf-lab` (the exact command shows in the
 * terminal; stopping the task stops its processes) and resolves with the exit code, or undefined
 * when the task was stopped.
 */
export async function runTask(definition: { kind: string } & Record<string, unknown>, name: string, line: string, cwd: string): Promise<number | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const task = new vscode.Task({ type: 'perf-lab', ...definition }, folder ?? vscode.TaskScope.Workspace, name, 'perf-lab', new vscode.ShellExecution(line, { cwd }));
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
  const execution = await vscode.tasks.executeTask(task);
  return new Promise((resolve) => {
    const listener = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution === execution) {
        listener.dispose();
        resolve(event.exitCode);
      }
    });
  });
}
