/**
 * The flame-graph webview (browser bundle). It draws the tree the language server pruned to the
 * panel's width with d3-flame-graph, asks for the subtree when a frame is clicked (zoom), and
 * opens the source on Ctrl/Cmd-click. Frame names come from user code: they are only ever set
 * as text (d3-flame-graph 5 labels with .text(); its HTML tooltip is off; search never builds a
 * RegExp from the input).
 */
import flamegraph, { FlameDatum, FlameGraph } from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { FlameNodeItem, FlameTreeResult, FlameWebviewState, FromFlameWebview, ToFlameWebview } from '../../src/protocol/webview';
import { drawTimeline } from './timeline';

interface VsCodeApi {
  postMessage(message: FromFlameWebview): void;
  getState(): FlameWebviewState | undefined;
  setState(state: FlameWebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Outside VS Code (an exported HTML file) the tree comes from a data block and zoom stays local. */
const standalone = typeof acquireVsCodeApi !== 'function';
const vscode: VsCodeApi = standalone ? { postMessage: () => undefined, getState: () => undefined, setState: () => undefined } : acquireVsCodeApi();
const state: FlameWebviewState = vscode.getState() ?? {};

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement = document.body) => {
  const node = document.createElement(tag);
  node.className = className;
  parent.append(node);
  return node;
};

const toolbar = element('div', 'toolbar');
const title = element('span', 'title', toolbar);
const search = element('input', 'search', toolbar);
search.type = 'search';
search.placeholder = 'Search frames';
search.setAttribute('aria-label', 'Search frames');
search.value = state.search ?? '';
const reset = element('button', 'reset', toolbar);
reset.textContent = 'Reset zoom';
const icicleLabel = element('label', 'icicle', toolbar);
const icicle = element('input', '', icicleLabel);
icicle.type = 'checkbox';
// Icicle by default: the root at the top, where the panel opens. A flame graph (root at the
// bottom) of a deep profile is taller than the panel and opened on empty space above it.
icicle.checked = state.icicle ?? true;
icicleLabel.append(' Icicle');
// Weigh by another sample type (a heap profile's leaked bytes or allocations, perf's second event).
const sampleTypes = element('select', 'sample-types', toolbar);
sampleTypes.setAttribute('aria-label', 'Weigh by');
sampleTypes.hidden = true;
sampleTypes.addEventListener('change', () => vscode.postMessage({ type: 'sampleType', sampleType: Number(sampleTypes.value), width: width() }));
const hint = element('span', 'hint', toolbar);
hint.textContent = standalone ? 'Click: zoom' : 'Click: zoom · Ctrl/Cmd-click: open source';
const timeline = element('div', 'timeline');
const legend = element('div', 'legend');
const details = element('div', 'details');
details.setAttribute('role', 'status');
const chartElement = element('div', 'chart');
const message = element('div', 'message');

let current: FlameTreeResult | undefined;
let chart: FlameGraph<FlameNodeItem> | undefined;
/** What the last search found, shown again when the pointer leaves a frame. */
let searchSummary = '';

function width(): number {
  return Math.max(200, Math.floor(chartElement.clientWidth || document.body.clientWidth - 16));
}

function percent(value: number): string {
  return current && current.total > 0 ? `${((100 * value) / current.total).toFixed(2)}%` : '';
}

function describe(node: FlameNodeItem): string {
  const hidden = node.hidden ? ` · ${percent(node.hidden)} in frames too narrow to draw (zoom in)` : '';
  const delta = node.delta === undefined ? '' : ` · change ${node.delta > 0 ? '+' : ''}${Math.round(node.delta).toLocaleString()} (${node.delta > 0 ? '+' : ''}${percent(node.delta)})`;
  return `${node.name} — self ${percent(node.self)} (${node.self.toLocaleString()}) · total ${percent(node.value)} (${node.value.toLocaleString()} ${current?.sampleType ?? ''})${delta}${hidden}`;
}

/** The largest change of any frame drawn: colours scale to it (as Gregg's difffolded does). */
function largestDelta(node: FlameNodeItem): number {
  let largest = Math.abs(node.delta ?? 0);
  for (const child of node.children) largest = Math.max(largest, largestDelta(child));
  return largest;
}

/** Red for more weight in this profile, blue for less, white for no change. */
function deltaColour(delta: number, largest: number): string {
  const t = largest > 0 ? Math.min(1, Math.abs(delta) / largest) : 0;
  const fade = Math.round(255 * (1 - t));
  return delta >= 0 ? `rgb(255, ${fade}, ${fade})` : `rgb(${fade}, ${fade}, 255)`;
}

/** The sample type choice: shown when the profile has several and the panel can ask for another tree. */
function showSampleTypes(result: FlameTreeResult): void {
  sampleTypes.hidden = standalone || (result.sampleTypes?.length ?? 0) < 2;
  sampleTypes.textContent = '';
  (result.sampleTypes ?? []).forEach((name, index) => {
    const option = document.createElement('option');
    option.value = String(index);
    option.textContent = name; // text, never HTML
    option.selected = index === result.sampleTypeIndex;
    sampleTypes.append(option);
  });
}

function draw(result: FlameTreeResult, zoomed: boolean): void {
  current = result;
  showSampleTypes(result);
  title.textContent = `${result.title} · ${result.sampleType}${zoomed ? ` · zoomed into ${result.tree.name}` : ''}`;
  const largest = result.diff ? largestDelta(result.tree) : 0;
  legend.textContent = result.diff
    ? `Differential: widths are ${result.title}; colour is the change of each stack's total against ${result.diff.baselineTitle}` +
      `${result.diff.normalized ? ` scaled by the totals' ratio (×${result.diff.scale.toFixed(3)})` : ' (not normalised)'}: red more, blue less, white unchanged.`
    : '';
  message.textContent = '';
  const peakTree = result.timeline && !standalone ? result.timeline.peakSampleType : undefined;
  drawTimeline(
    timeline,
    result.diff ? undefined : result.timeline,
    peakTree === undefined ? undefined : () => vscode.postMessage({ type: 'sampleType', sampleType: peakTree, width: width() }),
    (text) => {
      details.textContent = text;
    },
  );
  chart?.destroy();
  chartElement.textContent = '';
  chart = flamegraph<FlameNodeItem>()
    .width(width())
    .cellHeight(18)
    .minFrameSize(1)
    .transitionDuration(0)
    .tooltip(false)
    .inverted(icicle.checked)
    .sort(true)
    .getName((d) => d.data.name)
    .setLabelHandler((d) => describe(d.data))
    .setSearchMatch((d, term) => term !== '' && d.data.name.toLowerCase().includes(term.toLowerCase()))
    .setColorMapper((d, original) => {
      if (d.data.id < 0 && !result.diff) return 'var(--vscode-editorWidget-background, #ddd)';
      if (result.diff && !d.highlight) return deltaColour(d.data.delta ?? 0, largest);
      return original;
    })
    .setDetailsElement(details)
    .setDetailsHandler((text) => {
      details.textContent = text ?? (search.value ? searchSummary : '');
    })
    .setSearchHandler((matches, matched, total) => {
      // d3-flame-graph's own line says "samples" whatever the weights are (nanoseconds, bytes).
      const share = total > 0 ? ` (${((100 * matched) / total).toFixed(2)}%)` : '';
      searchSummary = `Search “${search.value}”: ${matches.length.toLocaleString()} frame${matches.length === 1 ? '' : 's'}, ${matched.toLocaleString()} of ${total.toLocaleString()} ${result.sampleType}${share}`;
      details.textContent = searchSummary;
    })
    .onHover((d) => {
      details.textContent = describe(d.data);
    })
    .onClick((d: FlameDatum<FlameNodeItem>) => {
      // Zooming asks the server for that subtree, pruned for this width.
      if (d.data.id >= 0 && d.data !== result.tree) vscode.postMessage({ type: 'zoom', root: d.data.id, width: width() });
    });
  select(chartElement).datum(result.tree).call(chart);
  if (search.value) chart.search(search.value);
  // A flame graph grows upwards from its root: scroll the root into view.
  if (!icicle.checked) chartElement.scrollIntoView({ block: 'end' });
  // When the last tree was drawn (read by npm run bench in Chromium).
  document.body.dataset.drawnAt = String(performance.now());
  Object.assign(state, { profileId: result.profileId, compareTo: result.diff?.baselineId, root: zoomed ? result.tree.id : undefined, search: search.value, icicle: icicle.checked });
  vscode.setState(state);
}

// Ctrl/Cmd-click opens the source: caught before d3-flame-graph, which always zooms on click.
chartElement.addEventListener(
  'click',
  (event) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    const datum = select(event.target).datum() as FlameDatum<FlameNodeItem> | undefined;
    if (!datum?.data || datum.data.func < 0) return;
    event.stopPropagation();
    event.preventDefault();
    vscode.postMessage({ type: 'openSource', func: datum.data.func });
  },
  true,
);

search.addEventListener('input', () => {
  if (!chart) return;
  if (search.value) chart.search(search.value);
  else {
    chart.clear();
    searchSummary = '';
    details.textContent = '';
  }
  vscode.setState({ ...state, search: search.value });
});
reset.addEventListener('click', () => {
  if (standalone) chart?.resetZoom();
  else vscode.postMessage({ type: 'reset', width: width() });
});
icicle.addEventListener('change', () => {
  if (current) draw(current, current.tree.id >= 0);
});

let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => {
    if (current) vscode.postMessage(current.tree.id >= 0 ? { type: 'zoom', root: current.tree.id, width: width() } : { type: 'reset', width: width() });
  }, 200);
});

window.addEventListener('message', (event: MessageEvent<ToFlameWebview>) => {
  const data = event.data;
  if (data.type === 'tree') draw(data.result, data.zoomed);
  else if (data.type === 'error') message.textContent = data.message; // text, never HTML
});

if (standalone) {
  const data = document.getElementById('perf-lab-flame-data')?.textContent;
  if (data) draw(JSON.parse(data) as FlameTreeResult, false);
} else {
  vscode.postMessage({ type: 'ready', width: width() });
}
