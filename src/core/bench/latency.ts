/**
 * Latency samples, one value per request or run, from the files tools and load generators write:
 * hyperfine's `--export-json` (every run's time), or plain text with one latency per line
 * ("1.25 ms", "840us", or bare numbers in the unit given). In nanoseconds. No `vscode` import.
 */
import { BenchParseError, toNanoseconds } from './results';
import { parseHyperfine } from './tools/hyperfine';

/**
 * The latencies in `text`. A hyperfine document with several commands needs `name` to pick one;
 * plain lines are a number and an optional unit, `#` comments and blank lines skipped.
 */
export function readLatencies(text: string, file: string, options: { unit?: string; name?: string } = {}): number[] {
  if (/^\s*[{[]/.test(text)) {
    const results = parseHyperfine(text, file);
    const chosen = options.name === undefined ? results : results.filter((result) => result.name === options.name);
    if (chosen.length !== 1) {
      const names = results.map((result) => `"${result.name}"`).join(', ');
      throw new BenchParseError(file, undefined, options.name === undefined ? `${results.length} commands (${names}): name one` : `no command "${options.name}" (it has ${names})`);
    }
    return chosen[0]!.samples;
  }
  const values: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([a-zµμ]*)$/i.exec(line);
    if (!match) throw new BenchParseError(file, index + 1, `"${line.slice(0, 40)}" is not a latency (a number and a unit such as ms)`);
    const unit = match[2] || options.unit;
    if (!unit) throw new BenchParseError(file, index + 1, 'a latency without a unit: write one ("1.2 ms") or give the unit');
    values.push(toNanoseconds(Number(match[1]), unit, file, index + 1));
  });
  if (!values.length) throw new BenchParseError(file, undefined, 'no latencies in it');
  return values;
}
