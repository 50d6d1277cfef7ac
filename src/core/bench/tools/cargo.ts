/** What the three Rust tools share: `cargo bench` in the benchmark's package, its declarations read from Rust sources. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { shellQuote } from '../../shell';
import type { BenchCommand, BenchRunContext } from './types';

export const isRustSource = (file: string) => file.endsWith('.rs');

/** Lines of Rust code, line comments left out (a commented-out benchmark is no benchmark). */
export function rustCodeLines(lines: readonly string[]): { line: string; index: number }[] {
  return lines.flatMap((line, index) => (/^\s*\/\//.test(line) ? [] : [{ line, index }]));
}

/** The function an attribute such as `#[bench]` marks: the next `fn` within a few lines (options may span several). */
export function attributedFunction(lines: readonly string[], attributeLine: number): { name: string; line: number } | undefined {
  for (let next = attributeLine + 1; next < Math.min(lines.length, attributeLine + 12); next++) {
    const fn = /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:(?:const|async|unsafe)\s+)*fn\s+(\w+)/.exec(lines[next]!);
    if (fn) return { name: fn[1]!, line: next };
  }
  return undefined;
}

/** The folder holding `marker`, walking up from `start`. */
export function findUp(start: string, marker: string): string | undefined {
  for (let folder = start; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, marker))) return folder;
    if (path.dirname(folder) === folder) return undefined;
  }
}

/**
 * `cargo bench [--bench TARGET] -- ARGS FILTER` in the package holding the file (a file under
 * `benches/` is its own bench target), and the `--no-run` build before it. `output` pipes the
 * run's text to a file, for the tools whose results are their printed report.
 */
export function cargoBench(context: BenchRunContext, args: readonly string[], filter: string, output?: string): Omit<BenchCommand, 'results'> & { crate: string } {
  const crate = findUp(path.dirname(context.file), 'Cargo.toml');
  if (!crate) throw new Error(`${context.file} is not inside a cargo package`);
  const benchTarget = path.basename(path.dirname(context.file)) === 'benches' ? path.basename(context.file, '.rs') : undefined;
  const cargoArgs = benchTarget ? ['--bench', benchTarget] : [];
  const line = ['cargo', 'bench', ...cargoArgs, '--', ...args.map(shellQuote), shellQuote(filter)].join(' ');
  return {
    line: output ? `${line} | tee ${shellQuote(output)}` : line,
    build: ['cargo', 'bench', ...cargoArgs, '--no-run'].join(' '),
    cwd: crate,
    crate,
    ...(output ? { resultsFile: output } : {}),
  };
}
