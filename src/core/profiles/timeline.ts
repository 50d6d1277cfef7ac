/** Heap memory over time (massif snapshots, heaptrack's consumption) as a chart draws it. No `vscode` import. */
import type { MemoryTimeline } from './model';

/** The index of the largest value (the first of equals); -1 for none. */
export function largestIndex(values: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || values[i]! > values[best]!) best = i;
  return best;
}

/**
 * At most `maxPoints` points for a chart `maxPoints` pixels wide: each bucket of consecutive
 * points keeps its largest (a peak is never averaged away) and the peak stays the peak.
 */
export function timelineForChart(timeline: MemoryTimeline, maxPoints: number): MemoryTimeline {
  const count = timeline.times.length;
  if (count <= maxPoints) return timeline;
  const times: number[] = [];
  const bytes: number[] = [];
  let peak = 0;
  for (let bucket = 0; bucket < maxPoints; bucket++) {
    const start = Math.floor((bucket * count) / maxPoints);
    const end = Math.floor(((bucket + 1) * count) / maxPoints);
    let chosen = start;
    for (let i = start; i < end; i++) {
      if (i === timeline.peak) {
        chosen = i;
        break;
      }
      if (timeline.bytes[i]! > timeline.bytes[chosen]!) chosen = i;
    }
    if (chosen === timeline.peak) peak = times.length;
    times.push(timeline.times[chosen]!);
    bytes.push(timeline.bytes[chosen]!);
  }
  return { timeUnit: timeline.timeUnit, times, bytes, peak };
}
