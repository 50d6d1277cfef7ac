import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ProfilesView } from './profilesView';
import { runTask, shellQuote } from './tasks';

export type Profiler = 'perf' | 'callgrind';

/** The shell command that records a profile of `command` into `output` (perf script text or callgrind). */
export function recordingCommand(profiler: Profiler, command: string, output: string, callGraph: 'fp' | 'dwarf' = 'fp'): string {
  if (profiler === 'callgrind') return `valgrind --tool=callgrind --callgrind-out-file=${shellQuote(output)} ${command}`;
  const data = `${output}.data`;
  const graph = callGraph === 'dwarf' ? '--call-graph dwarf' : '-g';
  return `perf record -e cpu-clock ${graph} -o ${shellQuote(data)} -- ${command} && perf script -i ${shellQuote(data)} > ${shellQuote(output)}`;
}

/**
 * "Perf Lab: Profile Command…": records a profile of a command with perf (cpu-clock samples,
 * frame-pointer or DWARF call graphs) or callgrind (instruction counts) as a VS Code task, with
 * the exact command visible in the terminal and cancel killing it, then loads the result. Only
 * in a trusted workspace: the command comes from the workspace.
 */
export async function profileCommand(view: ProfilesView, preset?: { command: string; profiler: Profiler }): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Perf Lab runs nothing from an untrusted workspace. Trust it to record profiles.');
    return false;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return false;
  const command =
    preset?.command ??
    (await vscode.window.showInputBox({
      title: 'Profile Command',
      prompt: 'The command to profile, run in the workspace folder',
      placeHolder: 'rust/target/release/wordfreq inputs/heavy.log',
    }));
  if (!command) return false;
  const profiler =
    preset?.profiler ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'perf', description: 'cpu-clock samples with call graphs (frame pointers)', profiler: 'perf' as const, graph: 'fp' as const },
          { label: 'perf (DWARF)', description: 'call graphs from DWARF unwinding, for code without frame pointers', profiler: 'perf' as const, graph: 'dwarf' as const },
          { label: 'callgrind', description: 'deterministic instruction counts (slower, noise-free)', profiler: 'callgrind' as const, graph: 'fp' as const },
        ],
        { title: 'Profile with' },
      )
    )?.profiler;
  if (!profiler) return false;
  const directory = vscode.workspace.getConfiguration('perfLab.profiles', folder.uri).get<string>('directory', '.perf-lab/profiles');
  const folderPath = path.resolve(folder.uri.fsPath, directory);
  mkdirSync(folderPath, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const output = path.join(folderPath, profiler === 'perf' ? `${stamp}.perf.txt` : `callgrind.out.${stamp}`);
  const exitCode = await runTask({ kind: 'profile', profiler, command }, `profile: ${command}`, recordingCommand(profiler, command, output), folder.uri.fsPath);
  if (exitCode !== 0) {
    void vscode.window.showErrorMessage(`Perf Lab: profiling "${command}" ${exitCode === undefined ? 'was stopped' : `failed with exit code ${exitCode}`}; see the terminal.`);
    return false;
  }
  return (await view.open(vscode.Uri.file(output))) !== undefined;
}
