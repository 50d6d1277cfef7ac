/**
 * The targets the workspace's idea documents state (src/core/targets), each linked to the
 * benchmark result that measures it: the Targets view, diagnostics in the documents where a
 * target is missed or critical, a lens on the linked benchmark, and Record as Current.
 */
import * as path from 'node:path';
import { CodeLens, Diagnostic, DiagnosticSeverity, Range, WorkspaceEdit } from 'vscode-languageserver/node';
import { discoverBenchmarks } from '../src/core/bench/tools';
import { evaluateTarget, formatQuantity, Measurement, TargetState } from '../src/core/targets';
import { BenchmarkTarget, lensCommand, TargetItem } from '../src/protocol/lsp';
import { BenchmarksService } from './benchmarksService';
import { toPath, toUri, WorkspaceFolders } from './folders';
import { diagnosticSource, DocumentSource, IdeasService, TargetDocument } from './ideasService';

interface Evaluated {
  document: TargetDocument;
  state: TargetState;
  benchmark?: { target: BenchmarkTarget; line: number };
}

export class TargetsService {
  constructor(
    private readonly ideas: IdeasService,
    private readonly benchmarks: BenchmarksService,
    private readonly folders: WorkspaceFolders,
    private readonly source: DocumentSource,
  ) {}

  /** Every target with its status against the latest results of the benchmarks in its folder. */
  private evaluate(): Evaluated[] {
    const documents = this.ideas.targetDocuments();
    if (!documents.length) return [];
    const all = this.benchmarks.measurements(this.source);
    return documents.flatMap((document) => {
      // A target is measured by the benchmarks of its own folder, as its settings map them.
      const local = all.filter((entry) => toPath(entry.target.uri).startsWith(document.root + path.sep));
      const measurements: Measurement[] = local.map((entry) => entry.measurement);
      const mapping = this.folders.of(document.root).targets;
      return document.targets.map((target) => {
        const state = evaluateTarget(target, measurements, mapping);
        const benchmark = state.measurement && local.find((entry) => entry.measurement === state.measurement);
        return { document, state, ...(benchmark ? { benchmark: { target: benchmark.target, line: benchmark.line } } : {}) };
      });
    });
  }

  list(): TargetItem[] {
    return this.evaluate().map(({ document, state, benchmark }) => {
      const measuredText = state.measured === undefined || !state.measuredAs ? undefined : this.measuredText(state);
      return {
        name: state.target.name,
        uri: toUri(document.file),
        path: document.relative,
        line: state.target.line - 1,
        status: state.status,
        summary: state.summary,
        ...(state.measurement ? { linked: { name: state.measurement.name, by: state.linkedBy!, ...(benchmark ? { benchmark: benchmark.target } : {}) } } : {}),
        ...(measuredText ? { measuredText } : {}),
        recordable: measuredText !== undefined && state.target.currentRange !== undefined,
      };
    });
  }

  /** The measured value as a figure of the document: in a unit of its dimension. */
  private measuredText(state: TargetState): string {
    return formatQuantity(state.measured!, state.measuredAs!.dimension, state.measuredAs!.per);
  }

  /**
   * Per document (by uri), its missed targets as warnings and critical ones as errors on the line
   * that states them, and a target perfLab.targets maps to no benchmark. All at once: evaluating
   * lists the workspace's benchmarks.
   */
  diagnostics(): Map<string, Diagnostic[]> {
    const byUri = new Map<string, Diagnostic[]>();
    for (const { document, state } of this.evaluate()) {
      if (!(state.status === 'missed' || state.status === 'critical' || (state.status === 'unmeasured' && state.linkedBy === undefined))) continue;
      const line = state.target.line - 1;
      const range = Range.create(line, 0, line, document.lines.lineText(line).length);
      const severity = state.status === 'critical' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
      const message =
        state.status === 'unmeasured'
          ? `"${state.target.name}": ${state.summary}`
          : `"${state.target.name}" ${state.status === 'critical' ? 'crossed its critical threshold' : 'is missed'}: ${state.summary} (${state.measurement!.name})`;
      const uri = toUri(document.file);
      byUri.set(uri, [...(byUri.get(uri) ?? []), { range, severity, source: diagnosticSource, code: `target-${state.status}`, message }]);
    }
    return byUri;
  }

  /** "🎯 Startup: target < 100 ms · now 80 ms · met" above each benchmark a target is linked to. */
  codeLenses(uri: string, text: string): CodeLens[] {
    // Evaluating lists every benchmark of the workspace: only for a file that declares some.
    if (discoverBenchmarks(text, toPath(uri)).length === 0) return [];
    return this.evaluate()
      .filter(({ benchmark }) => benchmark?.target.uri === uri && benchmark.target.kind !== 'hyperfine')
      .map(({ document, state, benchmark }) => {
        const range = Range.create(benchmark!.line, 0, benchmark!.line, 0);
        return { range, command: lensCommand(`🎯 ${state.target.name}: ${state.summary}`, 'perfLab.ideas.open', { uri: toUri(document.file), line: state.target.line - 1 }) };
      });
  }

  /** The edit writing a target's measured value over its current figure (the Current cell, "was", the baseline). */
  recordEdit(params: { uri: string; line: number; name: string }): WorkspaceEdit {
    const found = this.evaluate().find(({ document, state }) => toUri(document.file) === params.uri && state.target.line - 1 === params.line && state.target.name === params.name);
    if (!found) throw new Error(`no target "${params.name}" at line ${params.line + 1} of ${params.uri}: the document changed`);
    const { document, state } = found;
    const range = state.target.currentRange;
    if (state.measured === undefined || !state.measuredAs || !range)
      throw new Error(`"${state.target.name}" has ${state.measured === undefined ? 'no measured value' : 'no current figure to write into'}`);
    const old = document.text.slice(range.start, range.end);
    const start = document.lines.lineOf(range.start);
    const end = document.lines.lineOf(range.end);
    return {
      changes: {
        [params.uri]: [
          {
            range: Range.create(start, range.start - document.lines.line(start).start, end, range.end - document.lines.line(end).start),
            // A figure written as approximate stays so: "~12.68 ms" becomes "~12.1 ms".
            newText: `${/^\s*[~≈]/.test(old) ? '~' : ''}${this.measuredText(state)}`,
          },
        ],
      },
    };
  }
}
