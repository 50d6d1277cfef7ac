/**
 * Figures as performance documents write them: "~12.68 ms", "< 500ms", "2-3 minutes", "~2GB",
 * "~3000 attempts/sec", "10,000 msg/s", "> 2s". Each reads to a value in a base unit of its
 * dimension (nanoseconds, bytes, per second), so a target compares with what a benchmark
 * measured. No `vscode` import.
 */

export type Dimension = 'time' | 'bytes' | 'rate' | 'percent' | 'count';

export interface Quantity {
  /** In the dimension's base unit: ns, bytes, per second, percent, count. */
  value: number;
  /** The other end of a range ("2-3 minutes"), in the same unit. */
  upTo?: number;
  dimension: Dimension;
  /** What a rate counts ("attempts", "msg", "Mgas"; "bytes" for MB/s). */
  per?: string;
  /** Written with "~" or "≈". */
  approximate: boolean;
  /** The figure as written. */
  text: string;
}

export type Operator = '<' | '<=' | '>' | '>=';

export interface Bound {
  /** Absent: the figure alone ("~100ms"), read by the measure's direction. */
  op?: Operator;
  quantity: Quantity;
}

const timeUnits: [RegExp, number][] = [
  [/^(ns|nanos?|nanoseconds?)$/i, 1],
  [/^(µs|μs|us|micros?|microseconds?)$/i, 1e3],
  [/^(ms|msecs?|millis?|milliseconds?)$/i, 1e6],
  [/^(s|secs?|seconds?)$/i, 1e9],
  [/^(m|mins?|minutes?)$/i, 60e9],
  [/^(h|hrs?|hours?)$/i, 3600e9],
];

const byteUnits: [RegExp, number][] = [
  [/^(b|bytes?)$/i, 1],
  [/^kb$/i, 1e3],
  [/^mb$/i, 1e6],
  [/^gb$/i, 1e9],
  [/^tb$/i, 1e12],
  [/^kib$/i, 1024],
  [/^mib$/i, 1024 ** 2],
  [/^gib$/i, 1024 ** 3],
];

const scaleOf = (units: [RegExp, number][], unit: string) => units.find(([pattern]) => pattern.test(unit))?.[1];

const number = String.raw`\d[\d,]*(?:\.\d+)?|\.\d+`;
// A figure: optional "~", a number or range, an optional k/M multiplier, then the unit words.
const figure = new RegExp(
  String.raw`^(~|≈|about |approx\.? )?\s*(${number})(?:\s*(?:-|–|to)\s*(${number}))?\s*(k\b|K\b)?\s*(%|x\b|×|[A-Za-zµμ][\w.]*(?:\s*(?:/|per )\s*(?:s|sec|second)\b)?|[A-Za-z]+)?`,
);

const toNumber = (text: string) => Number(text.replace(/,/g, ''));

/** The figure `text` starts with, or undefined (words, a speed-up factor, an unknown unit). */
export function parseQuantity(text: string): Quantity | undefined {
  const trimmed = text.trim();
  const match = figure.exec(trimmed);
  if (!match) return undefined;
  const [whole, tilde, low, high, thousands, rawUnit] = match;
  const multiplier = thousands ? 1e3 : 1;
  const unit = (rawUnit ?? '').trim().replace(/\.+$/, '');
  const quantity = (dimension: Dimension, scale: number, per?: string): Quantity => ({
    value: toNumber(low!) * multiplier * scale,
    ...(high ? { upTo: toNumber(high) * multiplier * scale } : {}),
    dimension,
    ...(per ? { per } : {}),
    approximate: tilde !== undefined,
    text: whole.trim(),
  });
  if (unit === '%') return quantity('percent', 1);
  if (unit === 'x' || unit === '×') return undefined; // a speed-up factor: not a figure to meet
  const rate = /^(.*?)\s*(?:\/|per )\s*(?:s|sec|second)$/i.exec(unit);
  if (rate) {
    const what = rate[1]!;
    const bytes = scaleOf(byteUnits, what);
    return bytes ? quantity('rate', bytes, 'bytes') : quantity('rate', 1, what || 'operations');
  }
  const time = scaleOf(timeUnits, unit);
  if (time) return quantity('time', time);
  const bytes = scaleOf(byteUnits, unit);
  if (bytes) return quantity('bytes', bytes);
  if (!unit) return quantity('count', 1);
  return undefined;
}

const operators: [RegExp, Operator][] = [
  [/^(<=|≤|=<|at most|no more than|up to)\s*/i, '<='],
  [/^(>=|≥|=>|at least|no less than)\s*/i, '>='],
  [/^(<|under|below|less than)\s*/i, '<'],
  [/^(>|over|above|more than|exceeds?)\s*/i, '>'],
];

/** "< 500ms", "≥ 10,000 msg/s", "~100ms": an optional comparison and a figure. */
export function parseBound(text: string): Bound | undefined {
  let rest = text.trim().replace(/^\*+|\*+$/g, '');
  let op: Operator | undefined;
  for (const [pattern, operator] of operators) {
    const match = pattern.exec(rest);
    if (match) {
      op = operator;
      rest = rest.slice(match[0].length);
      break;
    }
  }
  const quantity = parseQuantity(rest);
  return quantity ? { ...(op ? { op } : {}), quantity } : undefined;
}

/** A figure for people in the unit its dimension reads best in: "23.4 µs", "1.20 GB", "3,000 attempts/s". */
export function formatQuantity(value: number, dimension: Dimension, per?: string): string {
  if (dimension === 'time') {
    const [unit, scale] = value >= 60e9 ? ['min', 60e9] : value >= 1e9 ? ['s', 1e9] : value >= 1e6 ? ['ms', 1e6] : value >= 1e3 ? ['µs', 1e3] : ['ns', 1];
    return `${trim(value / (scale as number))} ${unit}`;
  }
  if (dimension === 'bytes') {
    const [unit, scale] = value >= 1e9 ? ['GB', 1e9] : value >= 1e6 ? ['MB', 1e6] : value >= 1e3 ? ['kB', 1e3] : ['B', 1];
    return `${trim(value / (scale as number))} ${unit}`;
  }
  if (dimension === 'rate') return per === 'bytes' ? `${formatQuantity(value, 'bytes')}/s` : `${trim(value)} ${per ?? 'operations'}/s`;
  if (dimension === 'percent') return `${trim(value)}%`;
  return trim(value);
}

/** Three significant digits, thousands grouped: 23.4, 3,000, 0.125. */
function trim(value: number): string {
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(3)));
}
