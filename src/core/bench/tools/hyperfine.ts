/**
 * hyperfine: command benchmarks declared in the perfLab.commands setting (not in source), run by
 * hyperfine with `--export-json`, results read from that JSON (every run's time, exit codes, memory).
 */
import * as shape from '../../shape';
import { shellQuote } from '../../shell';
import { BenchmarkResult, BenchParseError, finiteTime, readResultsFile, ResultReader, shapeChecked } from '../results';
import { BenchRunContext, BenchTool, BenchmarkRef } from './types';

/**
 * A command benchmarked with hyperfine, declared in the perfLab.commands setting:
 * `{ "name": "wordfreq", "command": "wordfreq inputs/{input}.log", "parameters": { "input": ["light", "heavy"] } }`.
 */
export interface CommandBenchmark {
  name: string;
  command: string;
  /** hyperfine parameter lists: each `{name}` in the command takes each value in turn. */
  parameters?: Record<string, string[]>;
  runs?: number;
  warmup?: number;
}

/** The valid entries of perfLab.commands (anything else is reported, not run). */
export function commandBenchmarks(setting: unknown): { commands: CommandBenchmark[]; problems: string[] } {
  const commands: CommandBenchmark[] = [];
  const problems: string[] = [];
  (Array.isArray(setting) ? setting : []).forEach((entry: unknown, index) => {
    const candidate = entry as Partial<CommandBenchmark> | null;
    if (!candidate || typeof candidate.name !== 'string' || !candidate.name || typeof candidate.command !== 'string' || !candidate.command) {
      problems.push(`perfLab.commands[${index}] needs a "name" and a "command"`);
      return;
    }
    const parameters = Object.entries(candidate.parameters ?? {}).filter(([, values]) => Array.isArray(values) && values.length > 0 && values.every((value) => typeof value === 'string'));
    commands.push({
      name: candidate.name,
      command: candidate.command,
      ...(parameters.length ? { parameters: Object.fromEntries(parameters) } : {}),
      ...(typeof candidate.runs === 'number' && candidate.runs >= 2 ? { runs: Math.floor(candidate.runs) } : {}),
      ...(typeof candidate.warmup === 'number' && candidate.warmup >= 0 ? { warmup: Math.floor(candidate.warmup) } : {}),
    });
  });
  return { commands, problems };
}

/**
 * What hyperfine names a command benchmark's results (`--command-name`, where it substitutes the
 * parameters): "wordfreq input={input}" becomes "wordfreq input=heavy". Without it results are
 * named by their whole command line.
 */
export function commandNameTemplate(command: CommandBenchmark): string {
  return [command.name, ...Object.keys(command.parameters ?? {}).map((parameter) => `${parameter}={${parameter}}`)].join(' ');
}

/** The hyperfine arguments that measure a command benchmark into `exportJson` (10 runs by default: the methodology's minimum). */
export function hyperfineArgs(command: CommandBenchmark, exportJson: string): string[] {
  const args = ['--warmup', String(command.warmup ?? 1), '--runs', String(command.runs ?? 10), '--export-json', exportJson];
  for (const [name, values] of Object.entries(command.parameters ?? {})) args.push('--parameter-list', name, values.join(','));
  return [...args, '--command-name', commandNameTemplate(command), command.command];
}

/** The command named by the benchmark, run in the folder's root (its command lines are relative to it). */
async function command(benchmark: BenchmarkRef, context: BenchRunContext) {
  const declared = context.commands.find((candidate) => candidate.name === benchmark.id);
  if (!declared) throw new Error(`perfLab.commands has no command named "${benchmark.id}"`);
  const output = context.resultsFile('json');
  return {
    line: ['hyperfine', ...hyperfineArgs(declared, output).map(shellQuote)].join(' '),
    cwd: context.root,
    results: () => readResultsFile(output, hyperfine.readers, 'hyperfine'),
    resultsFile: output,
  };
}

/** hyperfine `--export-json`: every run's time (seconds -> ns), exit codes and memory when present. */
export function parseHyperfine(text: string, file: string): BenchmarkResult[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BenchParseError(file, undefined, `invalid hyperfine JSON: ${(error as Error).message}`);
  }
  return shapeChecked(file, () =>
    (shape.optionalList(shape.object(document, 'the document').results, 'results') ?? []).map((value, index) => {
      const where = `results[${index}]`;
      const result = shape.object(value, where);
      const numbers = (key: string, rule: shape.NumberRule) => shape.optionalList(result[key], `${where}.${key}`)?.map((entry, at) => shape.number(entry, `${where}.${key}[${at}]`, rule));
      const times = numbers('times', { min: 0 }) ?? [];
      const exitCodes = numbers('exit_codes', { integer: true });
      const memoryBytes = numbers('memory_usage_byte', { min: 0 });
      const parameters =
        result.parameters === undefined || result.parameters === null
          ? undefined
          : Object.fromEntries(Object.entries(shape.object(result.parameters, `${where}.parameters`)).map(([key, text]) => [key, shape.text(text, `${where}.parameters.${key}`)]));
      return {
        name: shape.text(result.command, `${where}.command`),
        unit: 'ns',
        samples: times.map((seconds) => finiteTime(seconds * 1e9, `${where}.times`, file)),
        extra: {
          ...(exitCodes ? { exitCodes } : {}),
          ...(memoryBytes ? { memoryBytes } : {}),
          ...(parameters ? { parameters } : {}),
        },
      };
    }),
  );
}

const reader: ResultReader = { tool: 'hyperfine', json: true, detect: (text) => /"results"\s*:/.test(text) && /"times"\s*:/.test(text), read: parseHyperfine };

/** Declared in settings, not in source: nothing to discover in files. */
export const hyperfine: BenchTool = {
  kind: 'hyperfine',
  label: 'hyperfine',
  declaresIn: () => false,
  discover: () => [],
  filter: (benchmark) => benchmark.id,
  command,
  readers: [reader],
};
