/** `perf-lab targets`: the targets of the idea documents against benchmark results, for terminals and CI. */
import { loadBenchResults } from '../core/bench';
import { listFiles } from '../core/ideas';
import { median } from '../core/stats';
import { evaluateTarget, Measurement, parseTargets, TargetState } from '../core/targets';
import { CliUsageError, commandArgs } from './args';
import type { CliIo } from './cli';
import { ideaDocuments, readDocument } from './ideasCommand';

export const targetsUsage = `perf-lab targets [FILES...] [--results FILE|DIR]... [--map "TARGET=RESULT"]... [--json] [--check]`;

export function runTargetsCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals: given } = commandArgs(args, {
    results: { type: 'string', multiple: true },
    map: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    check: { type: 'boolean' },
  });
  const root = process.cwd();
  const documents = given.length ? given : ideaDocuments(listFiles(root));
  const mapping: Record<string, string> = {};
  for (const entry of values.map ?? []) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new CliUsageError(`--map needs TARGET=RESULT, not "${entry}"`);
    mapping[entry.slice(0, at)] = entry.slice(at + 1);
  }
  // Each result's median, in the unit its tool reports.
  const measurements: Measurement[] = (values.results ?? []).flatMap((file) =>
    loadBenchResults(file).benchmarks.map((result) => ({ name: result.name, value: median(result.samples), unit: result.unit })),
  );
  const states: (TargetState & { document: string })[] = [];
  for (const document of documents) {
    for (const target of parseTargets(readDocument(root, document), document)) states.push({ ...evaluateTarget(target, measurements, mapping), document });
  }
  const critical = states.filter((state) => state.status === 'critical');
  if (values.json) {
    const json = states.map((state) => ({
      name: state.target.name,
      file: state.document,
      line: state.target.line,
      status: state.status,
      direction: state.target.direction,
      goal: state.target.goal ? { op: state.target.goal.op ?? null, ...state.target.goal.quantity } : null,
      critical: state.target.critical ? { op: state.target.critical.op ?? null, ...state.target.critical.quantity } : null,
      current: state.target.current ?? null,
      measuredBy: state.measurement?.name ?? null,
      measured: state.measured ?? null,
      summary: state.summary,
    }));
    io.out(`${JSON.stringify({ targets: json }, null, 2)}\n`);
  } else {
    const rows = states.map((state) => [
      state.status.toUpperCase(),
      state.target.name,
      state.summary.replace(/ · [a-z]+$/, ''),
      state.measurement?.name ?? '',
      `${state.document}:${state.target.line}`,
    ]);
    const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length), 0));
    io.out(rows.map((row) => row.map((cell, column) => (column < 4 ? cell.padEnd(widths[column]!) : cell)).join('  ')).join('\n') + (rows.length ? '\n' : 'no targets found\n'));
  }
  if (values.check && critical.length) {
    io.err(
      `perf-lab: ${critical.length} target${critical.length === 1 ? '' : 's'} past the critical threshold: ${critical.map((state) => `${state.target.name} (${state.document}:${state.target.line})`).join(', ')}\n`,
    );
    return 1;
  }
  return 0;
}
