/**
 * Benchmark results from any tool Perf Lab reads, recognised by their content: libtest `bench:`
 * lines, criterion's terminal report, Google Benchmark JSON, hyperfine `--export-json`, `go test
 * -bench`, Catch2, divan and iai. Each reader lives with its tool in tools/. No `vscode` import.
 */
import { BenchOutput, BenchParseError, ResultReader } from './results';
import { benchTools } from './tools';
import { iaiReader } from './tools/iai';
import { emptyLibtestReader } from './tools/libtest';

export * from './results';

/** In the order they are tried: the more specific first, an empty libtest run last. */
const readers: readonly ResultReader[] = [
  ...benchTools['google-benchmark'].readers,
  ...benchTools.hyperfine.readers,
  ...benchTools.libtest.readers.filter((reader) => reader !== emptyLibtestReader),
  ...benchTools.criterion.readers,
  ...benchTools.go.readers,
  ...benchTools.catch2.readers,
  iaiReader,
  ...benchTools.divan.readers,
  emptyLibtestReader,
];

function readerOf(text: string): ResultReader | undefined {
  // A JSON document is only ever one of the JSON formats.
  const json = text.trimStart().startsWith('{');
  return readers.find((reader) => !!reader.json === json && reader.detect(text));
}

/** Which tool wrote a text, or undefined. */
export function detectBenchTool(text: string): BenchOutput['tool'] | undefined {
  return readerOf(text)?.tool;
}

export function parseBenchText(text: string, file: string): BenchOutput {
  const reader = readerOf(text);
  if (!reader) throw new BenchParseError(file, undefined, 'no benchmark results Perf Lab reads (libtest, criterion, divan, Google Benchmark, hyperfine, go test -bench, Catch2, iai)');
  return { tool: reader.tool, benchmarks: reader.read(text, file) };
}
