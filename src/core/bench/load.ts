/** Reading benchmark results from files and directories (Node file system). */
import { readFileSync, statSync } from 'node:fs';
import { parseBenchText } from './parse';
import { BenchOutput, BenchParseError } from './results';
import { readCriterionFolder } from './tools/criterion';

/** A result file any reader understands, or a directory holding criterion's JSON (target/criterion). */
export function loadBenchResults(target: string): BenchOutput {
  let stat;
  try {
    stat = statSync(target);
  } catch (error) {
    throw new BenchParseError(target, undefined, (error as Error).message);
  }
  return stat.isDirectory() ? readCriterionFolder(target) : parseBenchText(readFileSync(target, 'utf8'), target);
}
