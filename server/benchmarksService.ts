/**
 * Benchmarks in source files and their last results: "▶ Benchmark · ⚡ Profile" above each
 * declaration, and the last run's median, CV and runs once the client reports them.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ignorePerfLabFolder } from '../src/core/experiments/revisions';
import * as path from 'node:path';
import { CodeLens, Range } from 'vscode-languageserver/node';
import { DiscoveredBenchmark, discoverBenchmarks } from '../src/core/bench/tools';
import { listFiles } from '../src/core/ideas/workspace';
import { distinctLabels, formatMeasurement, signedPercent } from '../src/core/format';
import { compare, Thresholds } from '../src/core/stats/verdict';
import type { Measurement } from '../src/core/targets';
import { BenchmarkFileItem, BenchmarkResultItem, BenchmarkTarget, lensCommand } from '../src/protocol/lsp';
import { folderOf, toPath, toUri, WorkspaceFolders } from './folders';
import { currentText, DocumentSource } from './ideasService';

/** Files that can declare benchmarks: under benches/ or named after benchmarks. */
const benchmarkFile = /(^|\/)benches\/.*\.rs$|bench[^/]*\.(rs|c|cc|cpp|cxx)$|_test\.go$/i;

/** What a lens or the view hands the client for a benchmark found in the file at `uri`. */
function targetOf(uri: string, benchmark: DiscoveredBenchmark): BenchmarkTarget {
  return { uri, kind: benchmark.kind, id: benchmark.id, ...(benchmark.group ? { group: true } : {}), ...(benchmark.testCase !== undefined ? { testCase: benchmark.testCase } : {}) };
}

export class BenchmarksService {
  private readonly results = new Map<string, BenchmarkResultItem[]>();
  /** The lens text of each benchmark's last run (computed once: comparisons bootstrap). */
  private readonly texts = new Map<string, string>();
  private readonly baselines = new Map<string, Map<string, BenchmarkResultItem[]>>();
  /** Each folder's files that can declare benchmarks: walked once, again after files come or go. */
  private readonly candidates = new Map<string, string[]>();

  constructor(private readonly folders: WorkspaceFolders) {}

  /** The team's verdict thresholds in the folder of a benchmark (its methodology, perfLab.methodology). */
  private thresholdsOf(target: BenchmarkTarget): Partial<Thresholds> {
    return this.folders.of(toPath(target.uri)).thresholds;
  }

  /** Files were created or deleted, or folders changed: the next list walks the folders again. */
  forgetFiles(): void {
    this.candidates.clear();
  }

  private candidateFiles(root: string): string[] {
    let files = this.candidates.get(root);
    if (!files) this.candidates.set(root, (files = listFiles(root).filter((file) => benchmarkFile.test(file))));
    return files;
  }

  /** The benchmarks of the workspace folders, by file, with their last results. */
  list(source: DocumentSource): BenchmarkFileItem[] {
    const roots = this.folders.roots();
    const files: BenchmarkFileItem[] = [];
    for (const root of roots) {
      for (const relative of this.candidateFiles(root)) {
        const file = path.join(root, relative);
        const uri = toUri(file);
        const text = currentText(source, file);
        if (text === undefined) continue;
        const benchmarks = discoverBenchmarks(text, file).map((benchmark) => {
          const target = targetOf(uri, benchmark);
          const text = this.texts.get(key(target));
          return { ...target, line: benchmark.line, ...(text ? { lastResult: text } : {}) };
        });
        if (benchmarks.length) files.push({ uri, path: relative, benchmarks });
      }
    }
    // Each folder's perfLab.commands, listed under its settings file (the target's uri says
    // which folder runs them).
    for (const root of roots) {
      const commands = this.folders.of(root).commands;
      if (!commands.length) continue;
      const uri = toUri(path.join(root, '.vscode', 'settings.json'));
      const benchmarks = commands.map((command) => {
        const target: BenchmarkTarget = { uri, kind: 'hyperfine', id: command.name };
        const text = this.texts.get(key(target));
        return { ...target, line: 0, ...(text ? { lastResult: text } : {}) };
      });
      files.push({ uri, path: roots.length > 1 ? `${path.basename(root)}: perfLab.commands (hyperfine)` : 'perfLab.commands (hyperfine)', benchmarks });
    }
    return files;
  }

  /**
   * Every benchmark with its last results, as targets link to them: a measurement per result
   * (its median), or one without a value for a benchmark not run yet.
   */
  measurements(source: DocumentSource): { measurement: Measurement; target: BenchmarkTarget; line: number }[] {
    return this.list(source).flatMap((file) =>
      file.benchmarks.flatMap(({ line, lastResult: _text, ...target }) => {
        const results = this.results.get(key(target));
        if (!results?.length) return [{ measurement: { name: target.id, benchmark: target.id }, target, line }];
        return results.map((result) => ({ measurement: { name: result.name, benchmark: target.id, value: result.median, unit: result.unit }, target, line }));
      }),
    );
  }

  setResults(target: BenchmarkTarget, results: BenchmarkResultItem[]): void {
    this.results.set(key(target), results);
    this.texts.set(key(target), describe(results, this.baselineOf(target), this.thresholdsOf(target)));
  }

  /** Keeps the last results as the baseline later runs are compared with. */
  setBaseline(target: BenchmarkTarget): void {
    const last = this.results.get(key(target));
    const place = this.place(target);
    if (!last || !place) throw new Error(`run ${target.id} first: there is no result to keep as its baseline`);
    const baselines = this.load(place.root);
    baselines.set(place.key, last);
    const file = baselinesFile(place.root);
    ignorePerfLabFolder(place.root);
    // Written whole to a temporary file and renamed: a crash never leaves half a file.
    writeFileSync(`${file}.tmp`, `${JSON.stringify(Object.fromEntries(baselines), null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    this.texts.set(key(target), describe(last, last, this.thresholdsOf(target)));
  }

  private baselineOf(target: BenchmarkTarget): BenchmarkResultItem[] | undefined {
    const place = this.place(target);
    return place ? this.load(place.root).get(place.key) : undefined;
  }

  /** The workspace folder of a target and its key there (relative path, so baselines move with the folder). */
  private place(target: BenchmarkTarget): { root: string; key: string } | undefined {
    const file = toPath(target.uri);
    const root = folderOf(file, this.folders.roots());
    if (!root) return undefined;
    return { root, key: `${path.relative(root, file).split(path.sep).join('/')}#${target.kind}#${target.id}` };
  }

  private load(root: string): Map<string, BenchmarkResultItem[]> {
    let baselines = this.baselines.get(root);
    if (!baselines) {
      try {
        baselines = new Map(Object.entries(JSON.parse(readFileSync(baselinesFile(root), 'utf8')) as Record<string, BenchmarkResultItem[]>));
      } catch {
        baselines = new Map();
      }
      this.baselines.set(root, baselines);
    }
    return baselines;
  }

  private readonly running = new Set<string>();

  setRunning(target: BenchmarkTarget, running: boolean): void {
    if (running) this.running.add(key(target));
    else this.running.delete(key(target));
  }

  codeLenses(uri: string, text: string): CodeLens[] {
    const lenses: CodeLens[] = [];
    for (const benchmark of discoverBenchmarks(text, toPath(uri))) {
      const target = targetOf(uri, benchmark);
      const range = Range.create(benchmark.line, 0, benchmark.line, 0);
      if (this.running.has(key(target))) {
        // Stopping is the task's: its terminal has the trash can, Tasks: Terminate Task names it.
        lenses.push({ range, command: { title: '$(sync~spin) Running… (stop it from its terminal)', command: 'workbench.action.tasks.terminate', arguments: [] } });
        continue;
      }
      lenses.push({ range, command: lensCommand('▶ Benchmark', 'perfLab.runBenchmark', target) });
      lenses.push({ range, command: lensCommand('⚡ Profile', 'perfLab.profileBenchmark', target) });
      const text = this.texts.get(key(target));
      if (text) {
        lenses.push({ range, command: lensCommand(text, 'perfLab.runBenchmark', target) });
        lenses.push({ range, command: lensCommand('⇄ Set as Baseline', 'perfLab.setBenchmarkBaseline', target) });
      }
    }
    return lenses;
  }
}

function key(target: BenchmarkTarget): string {
  return `${toPath(target.uri)}\u0000${target.kind}\u0000${target.id}`;
}

function baselinesFile(root: string): string {
  return path.join(root, '.perf-lab', 'baselines.json');
}

/**
 * "median 256.1 ns · CV 0.5% · n=10", with "Δ -10.2% [-10.8%, -9.6%] · one run a side: NOISY"
 * against a baseline (one run cannot decide: experiments judge over runs); for a group, each
 * parameter's median (and Δ).
 */
function describe(results: BenchmarkResultItem[], baseline: BenchmarkResultItem[] | undefined, thresholds: Partial<Thresholds>): string {
  const pct = (value: number) => signedPercent(value);
  let compared = false;
  const delta = (result: BenchmarkResultItem, withInterval: boolean) => {
    const before = baseline?.find((candidate) => candidate.name === result.name);
    if (!before || before === result || before.samples === result.samples) return '';
    compared = true;
    const comparison = compare(before.samples, result.samples, { thresholds });
    return ` · Δ ${pct(comparison.deltaPct)}${withInterval ? ` [${pct(comparison.ci[0])}, ${pct(comparison.ci[1])}]` : ''}`;
  };
  // The samples of one run are not runs: unchanged code came out "+9.3% DISCARD (regression)"
  // from them. The change and its interval are shown; the verdict waits for an experiment.
  const undecided = () => (compared ? ' · one run a side: NOISY' : '');
  if (results.length === 1) {
    const [result] = results;
    // One value (divan, iai print a summary, not samples) has no spread to show.
    const spread = result!.n > 1 ? ` · CV ${(result!.cv * 100).toFixed(1)}%` : '';
    return `median ${formatMeasurement(result!.median, result!.unit)}${spread} · n=${result!.n}${delta(result!, true)}${undecided()}`;
  }
  const labels = distinctLabels(results.map((result) => result.name));
  return `${results.map((result, index) => `${labels[index]}: ${formatMeasurement(result.median, result.unit)}${delta(result, false)}`).join(' · ')}${undecided()}`;
}
