/**
 * The memory-over-time chart above a heap profile's flame graph: the heap the tool recorded
 * (massif's snapshots, heaptrack's consumption) as an area, the peak marked. Clicking the peak
 * asks for the flame graph of the peak's heap. Everything is SVG built with the DOM (labels are
 * text nodes), no HTML strings.
 */
import { formatBytes, formatDuration } from '../../src/core/format';
import type { FlameTreeResult } from '../../src/protocol/webview';

type Timeline = NonNullable<FlameTreeResult['timeline']>;

const svgNamespace = 'http://www.w3.org/2000/svg';
const height = 80;
const margin = { top: 14, bottom: 14 };

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, parent: Element): SVGElementTagNameMap[K] {
  const node = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  parent.append(node);
  return node;
}

/** A time in the tool's unit: "1.2 s", "3.40 G instructions", "12.0 MB allocated". */
export function timeLabel(time: number, unit: string): string {
  if (unit === 'ms') return formatDuration(time);
  if (unit === 'bytes allocated') return `${formatBytes(time)} allocated`;
  if (unit === 'instructions')
    return time >= 1e9 ? `${(time / 1e9).toFixed(2)} G instructions` : time >= 1e6 ? `${(time / 1e6).toFixed(1)} M instructions` : `${Math.round(time).toLocaleString()} instructions`;
  return `${time.toLocaleString()} ${unit}`;
}

/**
 * Draws `timeline` into `container` (emptied first; hidden when there is none). `onPeak` runs when
 * the peak is clicked, `onHover` with a sentence about the point under the pointer.
 */
export function drawTimeline(container: HTMLElement, timeline: Timeline | undefined, onPeak: (() => void) | undefined, onHover: (text: string) => void): void {
  container.textContent = '';
  container.hidden = !timeline || timeline.times.length === 0;
  if (!timeline || container.hidden) return;
  const width = Math.max(200, container.clientWidth || document.body.clientWidth - 16);
  const { times, bytes, peak } = timeline;
  const first = times[0]!;
  const span = Math.max(1e-9, times[times.length - 1]! - first);
  const most = Math.max(1, ...bytes);
  const x = (time: number) => ((time - first) / span) * (width - 1);
  const y = (value: number) => margin.top + (1 - value / most) * (height - margin.top - margin.bottom);
  const chart = svg('svg', { width, height, role: 'img', 'aria-label': `Heap over time: peak ${formatBytes(bytes[peak]!)} at ${timeLabel(times[peak]!, timeline.timeUnit)}` }, container);
  const points = times.map((time, i) => `${x(time).toFixed(1)},${y(bytes[i]!).toFixed(1)}`);
  // One point has no width to fill: draw it as a step across the chart.
  const outline = times.length === 1 ? [`0,${y(bytes[0]!)}`, `${width - 1},${y(bytes[0]!)}`] : points;
  svg('polygon', { class: 'area', points: [`${outline[0]!.split(',')[0]},${y(0)}`, ...outline, `${outline[outline.length - 1]!.split(',')[0]},${y(0)}`].join(' ') }, chart);
  svg('polyline', { class: 'line', points: outline.join(' ') }, chart);
  svg('text', { class: 'axis', x: 2, y: 10 }, chart).textContent = formatBytes(most);
  svg('text', { class: 'axis', x: 2, y: height - 2 }, chart).textContent = timeLabel(first, timeline.timeUnit);
  const end = svg('text', { class: 'axis', x: width - 2, y: height - 2, 'text-anchor': 'end' }, chart);
  end.textContent = timeLabel(times[times.length - 1]!, timeline.timeUnit);
  const peakX = times.length === 1 ? width / 2 : x(times[peak]!);
  // massif's peak snapshot has the tree; a file without one (heaptrack_print -M) marks the largest tree.
  const peakLabel = `${bytes[peak] === most ? 'peak' : 'largest snapshot with a tree'} ${formatBytes(bytes[peak]!)} at ${timeLabel(times[peak]!, timeline.timeUnit)}`;
  const marker = svg('g', { class: onPeak ? 'peak clickable' : 'peak' }, chart);
  svg('line', { x1: peakX, x2: peakX, y1: margin.top, y2: height - margin.bottom }, marker);
  svg('circle', { cx: peakX, cy: y(bytes[peak]!), r: 5 }, marker);
  const label = svg('text', { x: peakX + (peakX > width / 2 ? -8 : 8), y: margin.top + 10, 'text-anchor': peakX > width / 2 ? 'end' : 'start' }, marker);
  label.textContent = onPeak ? `${peakLabel} · click: its flame graph` : peakLabel;
  if (onPeak) marker.addEventListener('click', onPeak);
  chart.addEventListener('mousemove', (event) => {
    const left = chart.getBoundingClientRect().left;
    const time = first + ((event.clientX - left) / (width - 1)) * span;
    let nearest = 0;
    for (let i = 1; i < times.length; i++) if (Math.abs(times[i]! - time) < Math.abs(times[nearest]! - time)) nearest = i;
    onHover(`Heap at ${timeLabel(times[nearest]!, timeline.timeUnit)}: ${formatBytes(bytes[nearest]!)}${nearest === peak ? ' (the peak)' : ''}`);
  });
}
