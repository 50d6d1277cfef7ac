/**
 * The one model every benchmark tool's results become: each benchmark with its per-run samples
 * in one unit (nanoseconds for times), and the helpers the readers in tools/ share. No `vscode` import.
 */
import { readFileSync } from 'node:fs';
import * as shape from '../shape';
import { cv, mean, median } from '../stats/descriptive';

export interface BenchmarkResult {
  name: string;
  /** "ns" for times, "instructions" for counts. */
  unit: string;
  /** One value per run (or per criterion sample), in `unit`. */
  samples: number[];
  /** Extra figures the tool reported (exit codes, memory, throughput). */
  extra?: Record<string, unknown>;
  /** A throughput (MB/s): judged with more as better; everything else, less is better. */
  higherIsBetter?: boolean;
}

export interface BenchOutput {
  tool: 'libtest' | 'criterion' | 'divan' | 'google-benchmark' | 'hyperfine' | 'go' | 'catch2' | 'iai';
  benchmarks: BenchmarkResult[];
}

/** A tool's results reader: how to recognise its output, and how to read it. */
export interface ResultReader {
  tool: BenchOutput['tool'];
  /** True for JSON documents: only JSON readers are asked about a text starting with "{". */
  json?: boolean;
  detect(text: string): boolean;
  read(text: string, file: string): BenchmarkResult[];
}

export class BenchParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
  }
}

const timeUnits: Record<string, number> = { ps: 1e-3, ns: 1, µs: 1e3, us: 1e3, μs: 1e3, ms: 1e6, s: 1e9 };

export function toNanoseconds(value: number, unit: string, file: string, line?: number): number {
  const factor = timeUnits[unit];
  if (factor === undefined) throw new BenchParseError(file, line, `unknown time unit "${unit}"`);
  const nanoseconds = value * factor;
  if (!Number.isFinite(nanoseconds)) throw new BenchParseError(file, line, `${value} ${unit} is too large to be a time`);
  return nanoseconds;
}

/** A time that converted past what a number holds (1e308 s) is no time. */
export function finiteTime(value: number, where: string, file: string): number {
  if (!Number.isFinite(value)) throw new BenchParseError(file, undefined, `${where}: a time too large to be one`);
  return value;
}

/** "1,234.56" -> 1234.56 */
export function groupedNumber(text: string): number {
  return Number(text.replace(/,/g, ''));
}

/** Adds one sample of `name` to the results being read, in the order names first appear. */
export function addSample(results: Map<string, BenchmarkResult>, name: string, unit: string, value: number, extra?: Record<string, unknown>): BenchmarkResult {
  let result = results.get(name);
  if (!result) results.set(name, (result = { name, unit, samples: [] }));
  result.samples.push(value);
  if (extra) result.extra = { ...result.extra, ...extra };
  return result;
}

/** Runs a reader of parsed JSON, its shape errors turned into errors naming the file. */
export function shapeChecked<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof shape.ShapeError) throw new BenchParseError(file, undefined, error.message);
    throw error;
  }
}

/**
 * Samples that can be compared: positive finite numbers. A NaN, a negative or a zero time once
 * came out "KEEP -200%" or a p-value of 1.5e-11; it is an error naming the file and benchmark.
 */
export function checkComparable(output: BenchOutput, file: string): BenchOutput {
  for (const result of output.benchmarks) {
    const index = result.samples.findIndex((value) => !(Number.isFinite(value) && value > 0));
    if (index >= 0)
      throw new BenchParseError(
        file,
        undefined,
        `benchmark "${result.name}": sample ${index + 1} of ${result.samples.length} is ${result.samples[index]}, not a positive ${result.unit === 'ns' ? 'time' : 'value'}`,
      );
    if (result.samples.length === 0) throw new BenchParseError(file, undefined, `benchmark "${result.name}" has no samples`);
  }
  return output;
}

/** Summary figures of a benchmark's samples. */
export function summary(result: BenchmarkResult): { median: number; mean: number; cv: number; n: number } {
  return { median: median(result.samples), mean: mean(result.samples), cv: cv(result.samples), n: result.samples.length };
}

/** Reads a tool's results file with the first of its readers that recognises it. */
export function readResultsFile(file: string, readers: readonly ResultReader[], toolName: string): BenchOutput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BenchParseError(file, undefined, (error as Error).message);
  }
  const reader = readers.find((candidate) => candidate.detect(text));
  if (!reader) throw new BenchParseError(file, undefined, `no ${toolName} results in this file`);
  return { tool: reader.tool, benchmarks: reader.read(text, file) };
}
