/** iai: instruction counts per benchmark (deterministic, one run); read from its report only, Perf Lab does not run it. */
import { addSample, BenchmarkResult, ResultReader } from '../results';

export function parseIai(text: string): BenchmarkResult[] {
  const results = new Map<string, BenchmarkResult>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = /^\s+Instructions:\s+(\d+)/.exec(line);
    if (!match) return;
    let name = '';
    for (let i = index - 1; i >= 0 && !name; i--) if (/^\S/.test(lines[i]!)) name = lines[i]!.trim();
    addSample(results, name, 'instructions', Number(match[1]));
  });
  return [...results.values()];
}

export const iaiReader: ResultReader = { tool: 'iai', detect: (text) => /^\s+Instructions:\s+\d+/m.test(text), read: parseIai };
