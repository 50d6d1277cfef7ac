/**
 * The before/after panel of an experiment (browser bundle): per benchmark the medians, Δ% with
 * its interval, p-value, CV, a verdict badge and a strip plot of both sides' run medians or samples. Every
 * value from the workspace is set as text or as an SVG attribute, never as HTML.
 */
import { formatP } from '../../src/core/format';
import type { DeltaRow, DeltasData, FromDeltasWebview, ToDeltasWebview } from '../../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: FromDeltasWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();
const svgNs = 'http://www.w3.org/2000/svg';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, parent: HTMLElement, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  parent.append(node);
  return node;
}

const pct = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(2)}%`;
const figure = (value: number, unit: string) => {
  if (unit !== 'ns') return `${value.toPrecision(4)} ${unit}`;
  if (value >= 1e9) return `${(value / 1e9).toFixed(3)} s`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(3)} ms`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(2)} µs`;
  return `${value.toFixed(1)} ns`;
};

/** Both sides' values (run medians or samples) on one axis: baseline above, candidate below, medians marked. */
function stripPlot(row: DeltaRow): SVGSVGElement {
  const width = 360;
  const height = 56;
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${row.basis === 'runs' ? 'run medians' : 'samples'} of ${row.name}`);
  const all = [...row.baseline.values, ...row.candidate.values];
  const min = Math.min(...all);
  const max = Math.max(...all);
  const x = (value: number) => 8 + ((value - min) / (max - min || 1)) * (width - 16);
  const side = (values: number[], median: number, y: number, className: string) => {
    for (const value of values) {
      const dot = document.createElementNS(svgNs, 'circle');
      dot.setAttribute('cx', x(value).toFixed(1));
      dot.setAttribute('cy', String(y));
      dot.setAttribute('r', '2.5');
      dot.setAttribute('class', className);
      svg.append(dot);
    }
    const mark = document.createElementNS(svgNs, 'line');
    mark.setAttribute('x1', x(median).toFixed(1));
    mark.setAttribute('x2', x(median).toFixed(1));
    mark.setAttribute('y1', String(y - 9));
    mark.setAttribute('y2', String(y + 9));
    mark.setAttribute('class', `${className} median`);
    svg.append(mark);
  };
  side(row.baseline.values, row.baseline.median, 16, 'baseline');
  side(row.candidate.values, row.candidate.median, 40, 'candidate');
  return svg;
}

function render(data: DeltasData): void {
  document.body.textContent = '';
  const header = element('div', document.body, undefined, 'header');
  element('h2', header, `${data.experimentId}: ${data.title}`);
  const badge = element('span', header, data.verdict, `badge ${data.verdict.split(' ')[0]!.toLowerCase()}`);
  badge.title = 'The experiment verdict (the worst of its benchmarks)';
  if (data.idea) element('p', document.body, `Idea: ${data.idea}`, 'idea');
  if (data.reason) element('p', document.body, `${data.verdict}: ${data.reason}`, 'reason');
  if (data.measured) element('p', document.body, `Measured: ${data.measured}`, 'measured');
  if (data.basis) element('p', document.body, data.basis, 'basis');
  const copy = element('button', document.body, 'Copy as Markdown');
  copy.addEventListener('click', () => vscode.postMessage({ type: 'copyMarkdown' }));
  if (data.differential) {
    const flame = element('button', document.body, 'Differential Flame Graph', 'differential');
    flame.title = "The candidate's profile, coloured by each stack's change from the baseline's";
    flame.addEventListener('click', () => vscode.postMessage({ type: 'showDifferential' }));
  }
  const table = element('table', document.body);
  const head = element('tr', element('thead', table));
  const byRuns = data.rows.every((row) => row.basis === 'runs');
  for (const title of ['Benchmark', 'Baseline', 'Candidate', 'Δ', '95% CI', 'p (Holm)', 'CV', byRuns ? 'Runs' : 'Samples', 'Verdict', `${byRuns ? 'Run medians' : 'Samples'} (baseline ● above, candidate ● below)`]) element('th', head, title);
  const body = element('tbody', table);
  for (const row of data.rows) {
    const tr = element('tr', body);
    element('td', tr, row.name);
    element('td', tr, figure(row.baseline.median, row.unit));
    element('td', tr, figure(row.candidate.median, row.unit));
    element('td', tr, pct(row.deltaPct), row.deltaPct < 0 ? 'faster' : 'slower');
    element('td', tr, `[${pct(row.ci[0])}, ${pct(row.ci[1])}]`);
    element('td', tr, formatP(row.p));
    element('td', tr, `${(row.baseline.cv * 100).toFixed(1)}% / ${(row.candidate.cv * 100).toFixed(1)}%`);
    element('td', tr, `${row.baseline.n} / ${row.candidate.n}`);
    const verdict = element('td', tr);
    element('span', verdict, row.verdict, `badge ${row.verdict.split(' ')[0]!.toLowerCase()}`).title = row.reason;
    element('td', tr).append(stripPlot(row));
  }
  if (data.rows.length) element('p', document.body, `Geometric mean of ratios: ${pct(data.geomeanDeltaPct)}`, 'geomean');
}

window.addEventListener('message', (event: MessageEvent<ToDeltasWebview>) => {
  if (event.data.type === 'comparison') render(event.data.data);
});
vscode.postMessage({ type: 'ready' });
