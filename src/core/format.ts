/** Human-readable formatting shared by the extension, the server and the CLI. */

/** A duration in milliseconds as the largest sensible unit pair: "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.floor(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "1 document", "3 documents". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * A p-value for people: two significant digits, and "< 1e-16" where double precision runs out
 * (the normal approximation of a large sample gives 0, which is not a probability anyone measured).
 */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 1e-16 ? '< 1e-16' : p.toPrecision(2);
}

/**
 * A benchmark figure in its unit: times (ns) in the largest sensible unit ("3.33 ns", "448.1 ns",
 * "14.25 ms", "1.130 s"), counts with thousands separators ("69,732,132 instructions").
 */
export function formatMeasurement(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'bytes') return formatBytes(value);
  if (unit !== 'ns') return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return `${(value / 1e9).toFixed(3)} s`;
  if (magnitude >= 1e6) return `${(value / 1e6).toFixed(2)} ms`;
  if (magnitude >= 1e3) return `${(value / 1e3).toFixed(2)} µs`;
  return `${value.toPrecision(4)} ns`;
}

/**
 * Short labels for the results of one benchmark: what their names do not share. "wordfreq
 * input=light" and "wordfreq input=heavy" read "input=light" and "input=heavy"; "group/a" and
 * "group/b" read "a" and "b". The cut is at a space or a slash, never inside a word.
 */
export function distinctLabels(names: readonly string[]): string[] {
  if (names.length < 2) return names.map((name) => name.split('/').pop() || name);
  let shared = names[0]!;
  for (const name of names) while (!name.startsWith(shared)) shared = shared.slice(0, -1);
  const cut = Math.max(shared.lastIndexOf(' '), shared.lastIndexOf('/')) + 1;
  return names.map((name) => name.slice(cut) || name);
}

/** A change in percent with its sign: "+3.1%", "-12.40%", "0.0%". */
export function signedPercent(value: number, digits = 1): string {
  return `${value > 0 ? '+' : ''}${value.toFixed(digits)}%`;
}

/** Bytes in decimal units, as heaptrack and massif's users read them: "544 B", "12.4 MB", "1.20 GB". */
export function formatBytes(bytes: number): string {
  const magnitude = Math.abs(bytes);
  if (magnitude >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (magnitude >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (magnitude >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${Math.round(bytes)} B`;
}
