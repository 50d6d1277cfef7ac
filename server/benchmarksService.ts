/**
 * Benchmarks in source files and their last results: "▶ Benchmark · ⚡ Profile" above each
 * declaration, and the last run's median, CV and runs once the client reports them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeLens, Range } from 'vscode-languageserver/node';
import { discoverBenchmarks } from '../src/core/bench/discover';
import { listFiles } from '../src/core/ideas/workspace';
import type { BenchmarkFileItem, BenchmarkResultItem, BenchmarkTarget } from '../src/protocol/lsp';
import { DocumentSource, toPath, toUri } from './ideasService';

/** Files that can declare benchmarks: under benches/ or named after benchmarks. */
const benchmarkFile = /(^|\/)benches\/.*\.rs$|bench[^/]*\.(rs|c|cc|cpp|cxx)$/i;

export class BenchmarksService {
  private readonly results = new Map<string, BenchmarkResultItem[]>();

  /** The benchmarks of the workspace folders, by file, with their last results. */
  list(roots: string[], source: DocumentSource): BenchmarkFileItem[] {
    const files: BenchmarkFileItem[] = [];
    for (const root of roots) {
      for (const relative of listFiles(root).filter((file) => benchmarkFile.test(file))) {
        const file = path.join(root, relative);
        const uri = toUri(file);
        let text: string | undefined = source.openText(uri);
        try {
          text ??= readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        const benchmarks = discoverBenchmarks(text, file).map((benchmark) => {
          const target: BenchmarkTarget = { uri, kind: benchmark.kind, id: benchmark.id, ...(benchmark.group ? { group: true } : {}) };
          const last = this.results.get(key(target));
          return { ...target, line: benchmark.line, ...(last?.length ? { lastResult: describe(last) } : {}) };
        });
        if (benchmarks.length) files.push({ uri, path: relative, benchmarks });
      }
    }
    return files;
  }

  setResults(target: BenchmarkTarget, results: BenchmarkResultItem[]): void {
    this.results.set(key(target), results);
  }

  codeLenses(uri: string, text: string): CodeLens[] {
    const lenses: CodeLens[] = [];
    for (const benchmark of discoverBenchmarks(text, toPath(uri))) {
      const target: BenchmarkTarget = { uri, kind: benchmark.kind, id: benchmark.id, ...(benchmark.group ? { group: true } : {}) };
      const range = Range.create(benchmark.line, 0, benchmark.line, 0);
      lenses.push({ range, command: { title: '▶ Benchmark', command: 'perfLab.runBenchmark', arguments: [target] } });
      lenses.push({ range, command: { title: '⚡ Profile', command: 'perfLab.profileBenchmark', arguments: [target] } });
      const last = this.results.get(key(target));
      if (last?.length) lenses.push({ range, command: { title: describe(last), command: 'perfLab.runBenchmark', arguments: [target] } });
    }
    return lenses;
  }
}

function key(target: BenchmarkTarget): string {
  return `${toPath(target.uri)}\u0000${target.kind}\u0000${target.id}`;
}

/** "median 256.1 ns · CV 0.5% · n=10", or the range of medians for a group. */
function describe(results: BenchmarkResultItem[]): string {
  const time = (ns: number, unit: string) =>
    unit !== 'ns' ? `${Math.round(ns).toLocaleString('en-US')} ${unit}` : ns >= 1e9 ? `${(ns / 1e9).toFixed(3)} s` : ns >= 1e6 ? `${(ns / 1e6).toFixed(3)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
  if (results.length === 1) {
    const [result] = results;
    return `median ${time(result!.median, result!.unit)} · CV ${(result!.cv * 100).toFixed(1)}% · n=${result!.n}`;
  }
  return results.map((result) => `${result.name.split('/').pop()}: ${time(result.median, result.unit)}`).join(' · ');
}
