/** `perf-lab latency`: two latency distributions compared quantile by quantile. */
import { readFileSync } from 'node:fs';
import { BenchParseError, readLatencies } from '../core/bench';
import { formatMeasurement, signedPercent } from '../core/format';
import { compareQuantiles, latencyQuantiles, quantileLabel } from '../core/stats';
import { CliUsageError, commandArgs } from './args';
import type { CliIo } from './cli';

export const latencyUsage = `perf-lab latency BASELINE CANDIDATE [--unit ms] [--name COMMAND] [--quantiles 50,90,99,99.9] [--json]`;

export function runLatencyCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = commandArgs(args, { unit: { type: 'string' }, name: { type: 'string' }, quantiles: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 2) throw new CliUsageError('latency needs BASELINE and CANDIDATE files');
  const quantiles = values.quantiles === undefined ? [...latencyQuantiles] : values.quantiles.split(',').map((text) => Number(text) / 100);
  if (quantiles.some((q) => !(q > 0 && q < 1))) throw new CliUsageError(`--quantiles are percentiles between 0 and 100, not "${values.quantiles}"`);
  const [baseline, candidate] = positionals.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new BenchParseError(file, undefined, (error as Error).message);
    }
    return readLatencies(text, file, { ...(values.unit ? { unit: values.unit } : {}), ...(values.name ? { name: values.name } : {}) });
  });
  const changes = compareQuantiles(baseline!, candidate!, { quantiles });
  if (values.json) {
    io.out(`${JSON.stringify({ baselineCount: baseline!.length, candidateCount: candidate!.length, unit: 'ns', quantiles: changes }, null, 2)}\n`);
    return 0;
  }
  const rows = changes.map((change) => [
    quantileLabel(change.quantile),
    formatMeasurement(change.baseline, 'ns'),
    formatMeasurement(change.candidate, 'ns'),
    signedPercent(change.deltaPct, 2),
    `[${signedPercent(change.ci[0], 2)}, ${signedPercent(change.ci[1], 2)}]`,
  ]);
  const header = ['quantile', 'baseline', 'candidate', 'change', '95% interval'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  io.out(
    `${baseline!.length} baseline and ${candidate!.length} candidate latencies\n${[header, ...rows]
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n')}\n`,
  );
  return 0;
}
