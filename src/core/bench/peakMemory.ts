/**
 * The peak resident memory of a benchmark run: its command line under GNU time (`%M`, the
 * maximum resident set size of the largest process the command started, as wait4 reports it;
 * hyperfine's memory figure is the same measure). The time benchmarks report is their own, so
 * the wrapper only adds a fork to the run's wall time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { shellQuote } from '../shell';

export const gnuTime = '/usr/bin/time';

/** Whether GNU time is installed where Perf Lab runs it. */
export function canMeasurePeakMemory(): boolean {
  return existsSync(gnuTime);
}

/** `line` run by /bin/sh under GNU time, which writes the peak RSS (KiB) to `output`. */
export function peakMemoryCommand(line: string, output: string): string {
  return `${gnuTime} -f %M -o ${shellQuote(output)} sh -c ${shellQuote(line)}`;
}

/** The peak RSS in bytes that GNU time wrote (its last line; a failed command's status line comes first), or undefined. */
export function readPeakMemory(output: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(output, 'utf8');
  } catch {
    return undefined;
  }
  const last = text.trim().split('\n').pop() ?? '';
  return /^\d+$/.test(last) && Number(last) > 0 ? Number(last) * 1024 : undefined;
}
