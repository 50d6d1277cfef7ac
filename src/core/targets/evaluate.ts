/**
 * A target against what was measured: which benchmark result measures it (by name, or as the
 * perfLab.targets mapping says), and whether it is met, missed or past its critical threshold.
 * No `vscode` import.
 */
import type { Bound, Dimension } from './quantity';
import { formatQuantity } from './quantity';
import type { Target } from './parse';

/**
 * A benchmark's latest result: its median in the unit the tool reports ("ns", "bytes", "MB/s"...);
 * a benchmark not run yet has no value (a target linked to it is unmeasured).
 */
export interface Measurement {
  /** The result's name ("wordfreq input=typical", "BM_Percentile", "count_words/typical"). */
  name: string;
  /** The benchmark it is a result of ("wordfreq", "count_words/*"), when that differs. */
  benchmark?: string;
  value?: number;
  unit?: string;
}

export type TargetStatus = 'met' | 'missed' | 'critical' | 'unmeasured' | 'unlinked' | 'incomparable';

export interface TargetState {
  target: Target;
  status: TargetStatus;
  /** The result linked, and why ("name matches", "perfLab.targets"). */
  measurement?: Measurement;
  linkedBy?: 'name' | 'mapping';
  /** The linked result in the target's dimension (a time per operation as a rate for a rate target). */
  measured?: number;
  /** What `measured` is: the target's dimension, or the result's own for a target with no figure yet. */
  measuredAs?: { dimension: Dimension; per?: string };
  /** One line for people: "target < 10 µs · now 23.4 µs · missed". */
  summary: string;
}

// Words that say what kind of figure it is, not which: "Startup time" is "startup".
const generic = new Set([
  'time',
  'times',
  'rate',
  'latency',
  'throughput',
  'usage',
  'speed',
  'duration',
  'wall',
  'clock',
  'mean',
  'median',
  'average',
  'avg',
  'p50',
  'total',
  'the',
  'of',
  'a',
  'per',
  'ns',
  'ms',
  'bench',
  'benchmark',
  'bm',
  'input',
  'inputs',
]);

export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token && !generic.has(token));
}

/**
 * The measurement a target is of: the mapping's (target name -> result or benchmark name) first,
 * then the result whose name's words are the target's (or contain them), the closest first.
 */
export function linkTarget(
  target: Target,
  measurements: readonly Measurement[],
  mapping: Readonly<Record<string, string>> = {},
): { measurement: Measurement; linkedBy: 'name' | 'mapping' } | undefined {
  const mapped = mapping[target.name];
  if (mapped !== undefined) {
    const found = measurements.find((m) => m.name === mapped) ?? measurements.find((m) => m.benchmark === mapped);
    return found ? { measurement: found, linkedBy: 'mapping' } : undefined;
  }
  const wanted = new Set(nameTokens(target.name));
  if (!wanted.size) return undefined;
  // One name's words all in the other's ("Startup time" ~ "startup", "`wordfreq inputs/heavy.log`
  // wall time" ~ "wordfreq input=heavy"); the most words shared wins, then the fewest left over.
  let best: { measurement: Measurement; shared: number; extra: number } | undefined;
  for (const measurement of measurements) {
    const tokens = new Set(nameTokens(measurement.name));
    const shared = [...tokens].filter((token) => wanted.has(token)).length;
    if (!shared || (shared < wanted.size && shared < tokens.size)) continue;
    const extra = tokens.size + wanted.size - 2 * shared;
    if (!best || shared > best.shared || (shared === best.shared && extra < best.extra)) best = { measurement, shared, extra };
  }
  return best && { measurement: best.measurement, linkedBy: 'name' };
}

const timeScale: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 };

/** A result's value in the target's dimension, or undefined when they measure different things. */
export function inDimension(measurement: Measurement, dimension: Dimension, per?: string): number | undefined {
  if (measurement.value === undefined || measurement.unit === undefined) return undefined;
  const time = timeScale[measurement.unit];
  if (dimension === 'time') return time === undefined ? undefined : measurement.value * time;
  if (dimension === 'bytes') return measurement.unit === 'bytes' ? measurement.value : undefined;
  if (dimension === 'rate') {
    // A time per operation is a rate of operations; bytes per second as a throughput unit says.
    if (time !== undefined) return per === 'bytes' ? undefined : 1e9 / (measurement.value * time);
    const throughput = /^(k|M|G)?B\/s$/.exec(measurement.unit);
    if (throughput && per === 'bytes') return measurement.value * { '': 1, k: 1e3, M: 1e6, G: 1e9 }[throughput[1] ?? '']!;
    return undefined;
  }
  return dimension === 'count' && measurement.unit === 'count' ? measurement.value : undefined;
}

/** Whether `value` is on the good side of a goal (read by the direction when it has no comparison). */
function meets(value: number, bound: Bound, direction: 'lower' | 'higher'): boolean {
  const { quantity, op } = bound;
  // A range ("30-60 seconds") is met anywhere inside it: by its far end.
  const limit = direction === 'lower' ? (quantity.upTo ?? quantity.value) : quantity.value;
  switch (op ?? (direction === 'lower' ? '<=' : '>=')) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    default:
      return value >= limit;
  }
}

/** Whether `value` crossed a critical threshold: "> 2s" past 2 s; a bare figure past it the wrong way. */
function crosses(value: number, bound: Bound, direction: 'lower' | 'higher'): boolean {
  const limit = bound.quantity.value;
  switch (bound.op ?? (direction === 'lower' ? '>=' : '<=')) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    default:
      return value <= limit;
  }
}

export function boundText(bound: Bound): string {
  return `${bound.op ? `${bound.op} ` : ''}${formatQuantity(bound.quantity.value, bound.quantity.dimension, bound.quantity.per)}${bound.quantity.upTo !== undefined && !bound.op ? `-${formatQuantity(bound.quantity.upTo, bound.quantity.dimension, bound.quantity.per)}` : ''}`;
}

export function evaluateTarget(target: Target, measurements: readonly Measurement[], mapping: Readonly<Record<string, string>> = {}): TargetState {
  const reference = target.goal ?? target.critical;
  const dimension = reference?.quantity.dimension ?? target.current?.dimension;
  const per = reference?.quantity.per ?? target.current?.per;
  const parts: string[] = [];
  if (target.goal) parts.push(`target ${target.relativeGoal ? `${target.relativeGoal} (${boundText(target.goal)})` : boundText(target.goal)}`);
  else if (target.relativeGoal) parts.push(`target ${target.relativeGoal}`);
  if (target.critical) parts.push(`critical ${boundText(target.critical)}`);
  if (!target.goal && !target.critical && target.current) parts.push(`baseline ${formatQuantity(target.current.value, target.current.dimension, target.current.per)}`);
  const link = linkTarget(target, measurements, mapping);
  const state = (status: TargetStatus, extra: Partial<TargetState> = {}): TargetState => ({
    target,
    status,
    ...(link ? { measurement: link.measurement, linkedBy: link.linkedBy } : {}),
    ...extra,
    summary: [...parts, ...(extra.summary ? [extra.summary] : []), status].join(' · '),
  });
  if (!link)
    return state(
      mapping[target.name] !== undefined ? 'unmeasured' : 'unlinked',
      mapping[target.name] !== undefined ? { summary: `perfLab.targets names ${mapping[target.name]}, which has no result` } : {},
    );
  if (link.measurement.value === undefined) return state('unmeasured', { summary: `run ${link.measurement.benchmark ?? link.measurement.name}` });
  if (!dimension) {
    // A relative goal ("10x lower") without a Current figure: the measurement can become it.
    const own = link.measurement.unit === 'bytes' ? 'bytes' : 'time';
    const value = inDimension(link.measurement, own);
    return state('incomparable', {
      ...(value === undefined ? {} : { measured: value, measuredAs: { dimension: own } }),
      summary: `${value === undefined ? '' : `now ${formatQuantity(value, own)} · `}a relative target needs a Current figure`,
    });
  }
  const measured = inDimension(link.measurement, dimension, per);
  if (measured === undefined) return state('incomparable', { summary: `${link.measurement.name} is in ${link.measurement.unit}` });
  const now = `now ${formatQuantity(measured, dimension, per)}`;
  const measuredAs = { dimension, ...(per ? { per } : {}) };
  if (target.critical && crosses(measured, target.critical, target.direction)) return state('critical', { measured, measuredAs, summary: now });
  if (target.goal) return state(meets(measured, target.goal, target.direction) ? 'met' : 'missed', { measured, measuredAs, summary: now });
  if (target.critical) return state('met', { measured, measuredAs, summary: now });
  // A baseline to hold: missed when measurably worse than it (the methodology's 2%).
  const baseline = target.current!.value;
  const worse = target.direction === 'lower' ? measured > baseline * 1.02 : measured < baseline * 0.98;
  return state(worse ? 'missed' : 'met', { measured, measuredAs, summary: now });
}
