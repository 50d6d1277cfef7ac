/**
 * divan: `#[divan::bench]` functions (options possibly over several lines), run by `cargo bench`
 * and filtered by their path, results read from its printed tree table.
 */
import { addSample, BenchmarkResult, BenchParseError, readResultsFile, ResultReader, toNanoseconds } from '../results';
import { attributedFunction, cargoBench, isRustSource, rustCodeLines } from './cargo';
import { BenchRunContext, BenchTool, BenchmarkRef, DiscoveredBenchmark, escapeRegExp } from './types';

function discover(lines: readonly string[]): DiscoveredBenchmark[] {
  return rustCodeLines(lines).flatMap(({ line, index }) => {
    const fn = /^\s*#\[divan::bench\b(?!_group)/.test(line) ? attributedFunction(lines, index) : undefined;
    return fn ? [{ kind: 'divan' as const, id: fn.name, line: fn.line }] : [];
  });
}

/** divan matches its filter against the function's path ("module::function"); args and types stay under it. */
const filter = (benchmark: BenchmarkRef) => `(^|::)${escapeRegExp(benchmark.id)}$`;

async function command(benchmark: BenchmarkRef, context: BenchRunContext) {
  const output = context.resultsFile('txt');
  const { crate: _crate, ...run } = cargoBench(context, context.args, filter(benchmark), output);
  return { ...run, results: () => readResultsFile(output, divan.readers, 'divan') };
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
const divanHeader = /^\S*\s+fastest\s+│\s+slowest\s+│\s+median\s+│\s+mean\s+│\s+samples\s+│\s+iters\s*$/m;

/**
 * divan's tree table (`name  fastest │ slowest │ median │ mean │ samples │ iters`). Rows nest by
 * their tree prefix (`├─ `, `╰─ ` under `│  ` or three spaces); a row with figures is a benchmark,
 * named by its path below the bench target joined with "/" ("fibonacci/16", "vec/push/t=4").
 * divan prints statistics, not samples: the median is the run's one value, so several runs give
 * the statistics over runs. Counter rows (throughput under a benchmark) have no name and are skipped.
 */
export function parseDivan(text: string, file: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  const path: string[] = [];
  let inTable = false;
  stripAnsi(text)
    .split('\n')
    .forEach((line, index) => {
      if (divanHeader.test(line)) {
        inTable = true;
        path.length = 0;
        return;
      }
      const row = /^((?:[│ ] {2})*)[├╰]─ (.*)$/.exec(line);
      if (!inTable || !row) return;
      const cells = row[2]!.split('│').map((cell) => cell.trim());
      const depth = row[1]!.length / 3;
      const named = /^(.+?)\s+([\d.]+) ?([pnµμum]?s)$/.exec(cells[0]!);
      path.length = depth;
      path.push(named ? named[1]! : cells[0]!);
      if (!named) return; // a module, a function with args, or a group: its rows follow
      const figure = (cell: string | undefined, what: string) => {
        const value = /^([\d.]+) ?([pnµμum]?s)$/.exec(cell ?? '');
        if (!value) throw new BenchParseError(file, index + 1, `divan row "${path.join('/')}" has no ${what} time`);
        return toNanoseconds(Number(value[1]), value[2]!, file, index + 1);
      };
      addSample(results, path.join('/'), 'ns', figure(cells[2], 'median'), {
        fastest: toNanoseconds(Number(named[2]), named[3]!, file, index + 1),
        slowest: figure(cells[1], 'slowest'),
        mean: figure(cells[3], 'mean'),
        samples: Number(cells[4]),
        iterations: Number(cells[5]),
      });
    });
  return [...results.values()];
}

const reader: ResultReader = { tool: 'divan', detect: (text) => divanHeader.test(stripAnsi(text)), read: parseDivan };

export const divan: BenchTool = { kind: 'divan', label: 'divan', declaresIn: isRustSource, discover, filter, command, readers: [reader] };
