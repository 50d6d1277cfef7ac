/**
 * Instruction counts from callgrind, the noise-free second metric of experiments. Counted for
 * commands (perfLab.commands), which do the same work on every run; criterion, Google Benchmark
 * and the like pick their iteration counts by time, so their counts would measure the clock.
 * No `vscode` import.
 */
import { shellQuote as quote } from '../shell';
import { BenchParseError } from './results';
import { CommandBenchmark, commandNameTemplate } from './tools/hyperfine';

/**
 * Each run of a command benchmark: the name hyperfine gives it (`commandNameTemplate` with the
 * parameters substituted, as hyperfine substitutes them) and the command line it runs.
 */
export function expandCommand(command: CommandBenchmark): { name: string; line: string }[] {
  let runs = [{ name: commandNameTemplate(command), line: command.command }];
  for (const [parameter, values] of Object.entries(command.parameters ?? {})) {
    const substitute = (text: string, value: string) => text.split(`{${parameter}}`).join(value);
    runs = runs.flatMap((run) => values.map((value) => ({ name: substitute(run.name, value), line: substitute(run.line, value) })));
  }
  return runs;
}

/**
 * The shell line counting the instructions of each command, one after the other, into its own
 * folder: callgrind follows the shell into the command (and any process it starts), one file
 * per process, all summed by `callgrindFolderTotal`.
 */
export function instructionCountLine(commands: readonly string[], folders: readonly string[]): string {
  return commands
    .map((command, index) => `valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=${quote(`${folders[index]}/%p.callgrind`)} sh -c ${quote(command)} > /dev/null`)
    .join(' && ');
}

/** The total of the first event (Ir: instructions) of a callgrind output file. */
export function callgrindTotal(text: string, file: string): number {
  let events: string | undefined;
  let total: number | undefined;
  let summary: number | undefined;
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = /^(events|totals|summary):\s*(.*)$/.exec(line);
    if (!match) return;
    if (match[1] === 'events') events = match[2]!.trim();
    else {
      const value = Number(match[2]!.trim().split(/\s+/)[0]);
      if (!Number.isFinite(value)) throw new BenchParseError(file, index + 1, `callgrind ${match[1]} "${match[2]!.trim()}" is not a count`);
      if (match[1] === 'totals') total = value;
      else summary = value;
    }
  });
  if (events === undefined) throw new BenchParseError(file, undefined, 'not a callgrind output file (no "events:" line)');
  if (!/^Ir\b/.test(events)) throw new BenchParseError(file, undefined, `callgrind counted "${events}", not instructions (Ir) first`);
  const count = total ?? summary;
  if (count === undefined) throw new BenchParseError(file, undefined, 'callgrind output without "totals:" or "summary:": the run did not finish');
  return count;
}

/** The instructions of a command: the sum over the callgrind files of its processes. */
export function callgrindFolderTotal(files: readonly { file: string; text: string }[], folder: string): number {
  if (files.length === 0) throw new BenchParseError(folder, undefined, 'callgrind wrote no output file here');
  return files.reduce((sum, { file, text }) => sum + callgrindTotal(text, file), 0);
}
