/** Reading benchmark results from files and directories (Node file system). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { BenchOutput, BenchParseError, parseBenchText, parseCriterionSample } from './parse';

/** A result file any reader understands, or a directory holding criterion's JSON (target/criterion). */
export function loadBenchResults(target: string): BenchOutput {
  let stat;
  try {
    stat = statSync(target);
  } catch (error) {
    throw new BenchParseError(target, undefined, (error as Error).message);
  }
  if (!stat.isDirectory()) return parseBenchText(readFileSync(target, 'utf8'), target);
  const samples = findFiles(target, (file) => file.endsWith(`${path.sep}new${path.sep}sample.json`));
  if (samples.length === 0) throw new BenchParseError(target, undefined, 'no criterion results (new/sample.json) in this directory');
  return {
    tool: 'criterion',
    benchmarks: samples.sort().map((file) => {
      const folder = path.dirname(path.dirname(file));
      return { name: criterionName(folder, target), unit: 'ns', samples: parseCriterionSample(readFileSync(file, 'utf8'), file) };
    }),
  };
}

/** The benchmark id criterion recorded (benchmark.json), else the folder path. */
function criterionName(folder: string, root: string): string {
  try {
    const benchmark = JSON.parse(readFileSync(path.join(folder, 'new', 'benchmark.json'), 'utf8')) as { full_id?: unknown; title?: unknown } | null;
    const name = [benchmark?.full_id, benchmark?.title].find((candidate) => typeof candidate === 'string' && candidate);
    if (typeof name === 'string') return name;
  } catch {
    /* older layouts have no benchmark.json */
  }
  return path.relative(root, folder).split(path.sep).join('/');
}

function findFiles(folder: string, accept: (file: string) => boolean, depth = 0): string[] {
  if (depth > 8) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'report' ? [] : findFiles(file, accept, depth + 1);
    return accept(file) ? [file] : [];
  });
}
