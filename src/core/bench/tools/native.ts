/** What the two C++ tools share: benchmarks declared in C and C++ sources, run from the built executable named after the source file. */
import * as path from 'node:path';
import type { BenchRunContext } from './types';

export const isCppSource = (file: string) => /\.(c|cc|cpp|cxx|h|hpp)$/.test(file);

/** The executable built from the benchmark's source file (`bench.cpp` → `bench`), or an error saying how to build it. */
export async function builtExecutable(context: BenchRunContext, toolLabel: string): Promise<string> {
  const stem = path.basename(context.file).replace(/\.[^.]+$/, '');
  const binary = await context.findExecutable(stem);
  if (binary) return binary;
  const how = context.revision ? 'perfLab.experiments.buildCommand builds each revision' : "the project's own build, e.g. make or cmake --build";
  throw new Error(`no built ${toolLabel} executable named ${stem} in ${context.revision ? context.root : 'the workspace'}: build it first (${how})`);
}
