/**
 * Which benchmarks measure the code an idea names: the ones whose source calls its functions,
 * or that are named after them, then those of the same package. No `vscode` import.
 */
import * as path from 'node:path';

export interface BenchmarkChoice {
  /** The benchmark's source file (absolute), or the settings file for perfLab.commands. */
  file: string;
  id: string;
}

/** A place an idea names: a file (absolute) and a 1-based line in it. */
export interface IdeaCode {
  file: string;
  line?: number;
}

export interface Suggestion<T extends BenchmarkChoice> {
  benchmark: T;
  /** Why it is suggested ("calls shard_of"), or undefined for the others. */
  reason?: string;
  score: number;
}

/** The files that mark a package's root, nearest first. */
const packageMarkers = ['Cargo.toml', 'CMakeLists.txt', 'go.mod', 'meson.build', 'Makefile'];

/** The name of the function a line is in: the nearest definition at or above it (Rust, C, C++, Go). */
export function enclosingFunction(source: string, line: number): string | undefined {
  const lines = source.split('\n');
  for (let index = Math.min(line, lines.length) - 1; index >= 0; index--) {
    const text = lines[index]!;
    const rust = /\bfn\s+([A-Za-z_]\w*)/.exec(text);
    if (rust) return rust[1];
    const go = /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*\(/.exec(text);
    if (go) return go[1];
    // A C or C++ definition starts at the line's start and is no declaration or call statement.
    const c = /^[A-Za-z_][\w:<>,*&\s]*?\b([A-Za-z_]\w*(?:::[A-Za-z_~]\w*)*)\s*\([^;]*$/.exec(text);
    if (c && !/^(if|for|while|switch|return|else)\b/.test(text)) return c[1]!.split('::').pop();
  }
  return undefined;
}

/**
 * Benchmarks ranked for an idea: calling one of its functions counts most, being named after
 * one next, sharing its package last; the order of the others is kept.
 */
export function suggestBenchmarks<T extends BenchmarkChoice>(
  benchmarks: readonly T[],
  code: readonly IdeaCode[],
  read: (file: string) => string | undefined,
  exists: (file: string) => boolean,
): Suggestion<T>[] {
  const functions = [
    ...new Set(
      code.flatMap((place) => {
        const text = place.line === undefined ? undefined : read(place.file);
        const name = text === undefined ? undefined : enclosingFunction(text, place.line!);
        return name && name.length > 2 ? [name] : [];
      }),
    ),
  ];
  const packageOf = (file: string): string | undefined => {
    for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
      if (packageMarkers.some((marker) => exists(path.join(folder, marker)))) return folder;
      if (path.dirname(folder) === folder) return undefined;
    }
  };
  const ideaPackages = new Set(code.map((place) => packageOf(place.file)).filter((folder): folder is string => folder !== undefined));
  const texts = new Map<string, string | undefined>();
  const ranked = benchmarks.map((benchmark, order) => {
    if (!texts.has(benchmark.file)) texts.set(benchmark.file, read(benchmark.file));
    const text = texts.get(benchmark.file) ?? '';
    const called = functions.find((name) => new RegExp(`\\b${name}\\s*(::<[^>]*>)?\\s*\\(`).test(text));
    const named = functions.find((name) => benchmark.id.toLowerCase().includes(name.toLowerCase()));
    const samePackage = ideaPackages.has(packageOf(benchmark.file) ?? '\0');
    const score = (named ? 4 : 0) + (called ? 2 : 0) + (samePackage ? 1 : 0);
    const reason = named ? `named after ${named}` : called ? `its file calls ${called}` : samePackage ? "in the package of the idea's code" : undefined;
    return { benchmark, score, order, ...(reason ? { reason } : {}) };
  });
  return ranked.sort((a, b) => b.score - a.score || a.order - b.order).map(({ benchmark, score, reason }) => ({ benchmark, score, ...(reason ? { reason } : {}) }));
}
