/**
 * Thresholds written in a team's methodology document (docs/perf/methodology.md), so the
 * verdicts follow the text people read: "At least **10 runs** per side", "CV ... under 10%",
 * "KEEP | p < 0.05 and at least 5% faster, with the whole interval beyond 2%", "KILL | ... 1.10x".
 * Only what the text states is returned; the rest stays at the defaults.
 */
import { Thresholds } from './verdict';

export interface MethodologyThresholds {
  thresholds: Partial<Thresholds>;
  /** 1-based line each threshold was read from, to say where a verdict's numbers come from. */
  lines: Partial<Record<keyof Thresholds, number>>;
}

const number = String.raw`\**\s*(\d+(?:\.\d+)?)\s*\**`;

/** One rule: which threshold, the pattern on a line, how to turn the captured number into the setting. */
const rules: { key: keyof Thresholds; pattern: RegExp; value: (n: number) => number }[] = [
  { key: 'minRuns', pattern: new RegExp(String.raw`at least\s*${number}\s*\**\s*runs`, 'i'), value: (n) => n },
  { key: 'maxCv', pattern: new RegExp(String.raw`\bCV\b.*?(?:under|below|less than|<)\s*${number}\s*%`, 'i'), value: (n) => n / 100 },
  { key: 'alpha', pattern: /\bp\s*<\s*\**\s*(0?\.\d+)/i, value: (n) => n },
  { key: 'keepImprovement', pattern: new RegExp(String.raw`\bKEEP\b.*?at least\s*${number}\s*%`), value: (n) => n / 100 },
  { key: 'minImprovement', pattern: new RegExp(String.raw`interval (?:beyond|above|past)\s*${number}\s*%`, 'i'), value: (n) => n / 100 },
  { key: 'killFactor', pattern: new RegExp(String.raw`\bKILL\b.*?${number}\s*x\b`), value: (n) => n },
];

export function methodologyThresholds(markdown: string): MethodologyThresholds {
  const found: MethodologyThresholds = { thresholds: {}, lines: {} };
  markdown.split('\n').forEach((line, index) => {
    for (const rule of rules) {
      if (found.thresholds[rule.key] !== undefined) continue;
      const match = rule.pattern.exec(line);
      if (!match) continue;
      const value = rule.value(Number(match[1]));
      if (!Number.isFinite(value) || value <= 0) continue;
      found.thresholds[rule.key] = value;
      found.lines[rule.key] = index + 1;
    }
  });
  return found;
}
