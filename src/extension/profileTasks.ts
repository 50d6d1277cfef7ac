import { formatBytes } from '../core/format';
import { ignoredFolder } from '../core/ignoredFolder';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProfileSummaryItem } from '../protocol/lsp';
import { folderOf, setting } from './settings';
import { ProfilesView } from './profilesView';
import { requireTrust, runTask, shellQuote, taskFailure } from './tasks';

export type { Profiler } from './taskDefinition';
import type { Profiler } from './taskDefinition';

/**
 * The shell command that records a profile of `command` into `output`: perf script text,
 * callgrind, or a heap profile (heaptrack adds its compression suffix to `output`; massif and
 * DHAT name source files by their full paths, so the heat lands on the workspace's files).
 */
export function recordingCommand(profiler: Profiler, command: string, output: string, callGraph: 'fp' | 'dwarf' = 'fp'): string {
  if (profiler === 'callgrind') return `valgrind --tool=callgrind --callgrind-out-file=${shellQuote(output)} ${command}`;
  if (profiler === 'heaptrack') return `heaptrack -o ${shellQuote(output)} ${command}`;
  if (profiler === 'massif') return `valgrind --tool=massif --threshold=0.1 --fullpath-after= --massif-out-file=${shellQuote(output)} ${command}`;
  if (profiler === 'dhat') return `valgrind --tool=dhat --fullpath-after= --dhat-out-file=${shellQuote(output)} ${command}`;
  const data = `${output}.data`;
  const graph = callGraph === 'dwarf' ? '--call-graph dwarf' : '-g';
  return `perf record -e cpu-clock ${graph} -o ${shellQuote(data)} -- ${command} && perf script -i ${shellQuote(data)} > ${shellQuote(output)}`;
}

/** The file a recording wrote: heaptrack's has a suffix of its own choosing (.zst, or .gz on older builds). */
export function recordedFile(profiler: Profiler, output: string): string {
  if (profiler !== 'heaptrack') return output;
  return ['.zst', '.gz', ''].map((suffix) => output + suffix).find((file) => existsSync(file)) ?? `${output}.zst`;
}

/** The memory profilers installed here, heaptrack first (it runs the program natively; valgrind's tools emulate it, many times slower). */
export function installedMemoryProfilers(): Profiler[] {
  const has = (program: string) => spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0;
  return [...(has('heaptrack') ? (['heaptrack'] as const) : []), ...(has('valgrind') ? (['massif', 'dhat'] as const) : [])];
}

const profilerChoices: { label: string; description: string; profiler: Profiler; graph: 'fp' | 'dwarf' }[] = [
  { label: 'perf', description: 'cpu-clock samples with call graphs (frame pointers)', profiler: 'perf', graph: 'fp' },
  { label: 'perf (DWARF)', description: 'call graphs from DWARF unwinding, for code without frame pointers', profiler: 'perf', graph: 'dwarf' },
  { label: 'callgrind', description: 'deterministic instruction counts (slower, noise-free)', profiler: 'callgrind', graph: 'fp' },
  { label: 'heaptrack', description: 'memory: every allocation with its stack; bytes at peak, leaks, temporary allocations', profiler: 'heaptrack', graph: 'fp' },
  { label: 'massif', description: 'memory: heap snapshots over time and the allocation tree at the peak (valgrind, slow)', profiler: 'massif', graph: 'fp' },
  { label: 'DHAT', description: 'memory: per allocation site bytes, blocks, leaks, reads and writes (valgrind, slow)', profiler: 'dhat', graph: 'fp' },
];

/**
 * Records `command` (run in `cwd`) as a VS Code task into `output`: the exact command shows in
 * the terminal, and stopping the task (or cancelling `token`) ends the profiled program.
 * Resolves with the exit code, undefined when stopped.
 */
export function recordProfile(command: string, cwd: string, profiler: Profiler, output: string, callGraph: 'fp' | 'dwarf' = 'fp', token?: vscode.CancellationToken): Promise<number | undefined> {
  ignoredFolder(path.dirname(output), 'recorded profiles');
  return runTask({ kind: 'profile', profiler, command }, `profile: ${command}`, recordingCommand(profiler, command, output, callGraph), cwd, token);
}

/**
 * "Perf Lab: Profile Command…": records a profile of a command with perf (cpu-clock samples,
 * frame-pointer or DWARF call graphs) or callgrind (instruction counts) as a VS Code task, with
 * the exact command visible in the terminal and cancel killing it, then loads the result. It is
 * saved in `directory` (the active experiment's profiles folder), else perfLab.profiles.directory.
 * Only in a trusted workspace: the command comes from the workspace.
 */
export async function profileCommand(
  view: ProfilesView,
  preset?: { command?: string; profiler?: Profiler; callGraph?: 'fp' | 'dwarf'; name?: string; memory?: boolean },
  directory?: string,
): Promise<boolean> {
  if (!requireTrust('record profiles')) return false;
  // Run in the folder of the file being looked at (a multi-root workspace has several).
  const folder = folderOf(vscode.window.activeTextEditor?.document.uri);
  if (!folder) return false;
  const command =
    preset?.command ??
    (await vscode.window.showInputBox({
      title: 'Profile Command',
      prompt: 'The command to profile, run in the workspace folder',
      placeHolder: 'rust/target/release/wordfreq inputs/heavy.log',
    }));
  if (!command) return false;
  // Profile Memory… offers the memory profilers installed here; Profile Command… all of them.
  const installed = preset?.memory ? installedMemoryProfilers() : undefined;
  if (installed?.length === 0) {
    void vscode.window.showErrorMessage('Perf Lab: no memory profiler found: install heaptrack (Debian: heaptrack) or valgrind (massif, DHAT).');
    return false;
  }
  const choices = profilerChoices.filter((choice) => !installed || installed.includes(choice.profiler));
  const choice = preset?.profiler
    ? { profiler: preset.profiler, graph: preset.callGraph ?? ('fp' as const) }
    : await vscode.window.showQuickPick(choices, { title: preset?.memory ? 'Profile memory with' : 'Profile with' });
  if (!choice) return false;
  const { profiler, graph } = choice;
  const folderPath = directory ?? path.resolve(folder.uri.fsPath, setting('profiles.directory', folder.uri));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // Named by what was recorded (the benchmark, or the command's program and arguments), then when.
  const what = profileName(preset?.name ?? command);
  const names: Record<Profiler, string> = {
    perf: `${what}-${stamp}.perf.txt`,
    callgrind: `callgrind.out.${what}-${stamp}`,
    heaptrack: `heaptrack.${what}-${stamp}`,
    massif: `massif.out.${what}-${stamp}`,
    dhat: `dhat.out.${what}-${stamp}`,
  };
  const output = path.join(folderPath, names[profiler]);
  const exitCode = await recordProfile(command, folder.uri.fsPath, profiler, output, graph);
  if (exitCode !== 0) {
    void vscode.window.showErrorMessage(taskFailure(`profiling "${command}"`, exitCode));
    return false;
  }
  const summary = await view.open(vscode.Uri.file(recordedFile(profiler, output)));
  if (!summary) return false;
  reportRecorded(summary, preset?.name ?? command);
  return true;
}

/**
 * A finished recording opens its flame graph and says where the heat is, with a way there:
 * the hottest function of the workspace's own code and its share of the samples.
 */
function reportRecorded(summary: ProfileSummaryItem, what: string): void {
  void vscode.commands.executeCommand('perfLab.showFlameGraph', { profileId: summary.id });
  const hottest = summary.hottest;
  const where = hottest?.uri ? ` in ${vscode.workspace.asRelativePath(vscode.Uri.parse(hottest.uri))}:${(hottest.line ?? 0) + 1}` : '';
  // A heap profile says how much was live at the peak, and whose code allocated it.
  const memory = summary.sampleType.startsWith('bytes at peak');
  const samples = memory ? `${formatBytes(summary.totalWeight)} at the peak` : `${summary.samples.toLocaleString('en-US')} samples`;
  const heat = !hottest
    ? ''
    : memory
      ? ` The most was allocated by ${hottest.name} (${hottest.selfPercent.toFixed(1)}% of the peak${where}).`
      : ` The hottest function is ${hottest.name} (${hottest.selfPercent.toFixed(1)}% self${where}).`;
  const goTo = 'Go to Hot Code';
  void vscode.window.showInformationMessage(`Perf Lab: profiled ${what}: ${samples}.${heat}`, ...(hottest?.uri ? [goTo] : [])).then(async (choice) => {
    if (choice !== goTo || !hottest?.uri) return;
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(hottest.uri), { preview: false, viewColumn: vscode.ViewColumn.One });
    const position = new vscode.Position(hottest.line ?? 0, 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  });
}

/** A file-name part for what a profile recorded: `wordfreq-inputs_heavy.log` for `rust/target/release/wordfreq inputs/heavy.log`. */
export function profileName(what: string): string {
  const [program = '', ...args] = what.trim().split(/\s+/);
  const words = [path.basename(program), ...args].join('-');
  return (
    words
      .replace(/[^\w.-]+/g, '_')
      .replace(/^[_.-]+/, '')
      .slice(0, 60) || 'profile'
  );
}
