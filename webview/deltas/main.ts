/**
 * The before/after panel of an experiment (browser bundle): per benchmark the medians, Δ% with
 * its interval, p-value, CV, a verdict badge and a strip plot of both sides' run medians or samples. Every
 * value from the workspace is set as text or as an SVG attribute, never as HTML.
 */
import { formatMeasurement as figure, formatP, signedPercent } from '../../src/core/format';
import type { DeltaRow, DeltasData, FromDeltasWebview, InstructionDeltaRow, ToDeltasWebview, Verdict } from '../../src/protocol/webview';

/** The badge colour of each verdict (media/deltas.css); a new verdict fails to compile until it has one. */
const badgeClass: Record<Verdict, string> = {
  KEEP: 'keep',
  MAYBE: 'maybe',
  DISCARD: 'discard',
  'DISCARD (regression)': 'regression',
  NOISY: 'noisy',
  REJECT: 'reject',
  KILL: 'kill',
};

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

const pct = (value: number) => signedPercent(value, 2);

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
  const badge = element('span', header, data.verdict, `badge ${badgeClass[data.verdict]}`);
  badge.title = `The experiment verdict (the worst of its benchmarks, by ${data.decidedBy === 'instructions' ? 'instruction counts' : data.decidedBy === 'peak memory' ? 'peak memory' : 'time'})`;
  if (data.idea) element('p', document.body, `Idea: ${data.idea}`, 'idea');
  if (data.reason) element('p', document.body, `${data.verdict}: ${data.reason}`, 'reason');
  if (data.measured) element('p', document.body, `Measured: ${data.measured}`, 'measured');
  const copy = element('button', document.body, 'Copy as Markdown', 'copy');
  copy.addEventListener('click', () => vscode.postMessage({ type: 'copyMarkdown' }));
  if (data.differential) {
    const flame = element('button', document.body, 'Differential Flame Graph', 'differential');
    flame.title = "The candidate's profile, coloured by each stack's change from the baseline's";
    flame.addEventListener('click', () => vscode.postMessage({ type: 'showDifferential' }));
  }
  // The metric that decides comes first.
  const decidedByInstructions = data.decidedBy === 'instructions' && data.instructions?.length;
  const decidedByMemory = data.decidedBy === 'peak memory' && data.memory;
  if (decidedByInstructions) renderInstructions(data.instructions!, true);
  if (decidedByMemory) renderMemory(data.memory!, true);
  if (decidedByInstructions || decidedByMemory) element('h3', document.body, 'Time');
  if (data.basis) element('p', document.body, data.basis, 'basis');
  renderRows(data.rows, 'Benchmark');
  if (data.rows.length) element('p', document.body, `Geometric mean of ratios: ${pct(data.geomeanDeltaPct)}`, 'geomean');
  if (data.memory && !decidedByMemory) renderMemory(data.memory, false);
  if (data.instructions?.length && !decidedByInstructions) renderInstructions(data.instructions, false);
}

/** A table of compared rows: medians, change, interval, p, CV, counts, verdict, and each side's values. */
function renderRows(rows: DeltaRow[], firstColumn: string): void {
  const table = element('table', document.body);
  const head = element('tr', element('thead', table));
  const byRuns = rows.every((row) => row.basis === 'runs');
  for (const title of [
    firstColumn,
    'Baseline',
    'Candidate',
    'Δ',
    '95% CI',
    'p (Holm)',
    'CV',
    byRuns ? 'Runs' : 'Samples',
    'Verdict',
    `${byRuns ? 'Run medians' : 'Samples'} (baseline ● above, candidate ● below)`,
  ])
    element('th', head, title);
  const body = element('tbody', table);
  for (const row of rows) {
    const tr = element('tr', body);
    element('td', tr, row.name);
    element('td', tr, figure(row.baseline.median, row.unit));
    element('td', tr, figure(row.candidate.median, row.unit));
    element('td', tr, pct(row.deltaPct), row.deltaPct < 0 ? 'faster' : row.deltaPct > 0 ? 'slower' : undefined);
    element('td', tr, `[${pct(row.ci[0])}, ${pct(row.ci[1])}]`);
    element('td', tr, formatP(row.p));
    element('td', tr, `${(row.baseline.cv * 100).toFixed(1)}% / ${(row.candidate.cv * 100).toFixed(1)}%`);
    element('td', tr, `${row.baseline.n} / ${row.candidate.n}`);
    const verdict = element('td', tr);
    element('span', verdict, row.verdict, `badge ${badgeClass[row.verdict]}`).title = row.reason;
    element('td', tr).append(stripPlot(row));
  }
}

/** The runs' peak resident memory (GNU time): one value per run, judged by the same statistics as time. */
function renderMemory(row: DeltaRow, decide: boolean): void {
  element('h3', document.body, 'Peak memory');
  element(
    'p',
    document.body,
    `Each run's largest process, as GNU time measures it. ${decide ? 'It decides the verdict; the times below are shown beside it.' : 'The times above decide the verdict; this is shown beside them.'}`,
    'memory-note',
  );
  renderRows([row], 'Measure');
}

/** callgrind's instruction counts: one deterministic count a side, so no interval or p-value. */
function renderInstructions(rows: InstructionDeltaRow[], decide: boolean): void {
  element('h3', document.body, 'Instructions (callgrind)');
  element(
    'p',
    document.body,
    `One count a side: the same code runs the same instructions, so there is no noise to test against. ${decide ? 'These counts decide the verdict; the times below are shown beside them.' : 'The times above decide the verdict; these are shown beside them.'}`,
    'instructions-note',
  );
  const table = element('table', document.body, undefined, 'instructions');
  const head = element('tr', element('thead', table));
  for (const title of ['Benchmark', 'Baseline', 'Candidate', 'Δ', 'Verdict']) element('th', head, title);
  const body = element('tbody', table);
  for (const row of rows) {
    const tr = element('tr', body);
    element('td', tr, row.name);
    element('td', tr, row.baseline.toLocaleString('en-US'));
    element('td', tr, row.candidate.toLocaleString('en-US'));
    element('td', tr, pct(row.deltaPct), row.deltaPct < 0 ? 'faster' : row.deltaPct > 0 ? 'slower' : undefined);
    const verdict = element('td', tr);
    element('span', verdict, row.verdict, `badge ${badgeClass[row.verdict]}`).title = row.reason;
  }
}

/** The Copy button says the comparison is on the clipboard, then reads as before. */
function showCopied(): void {
  const button = document.querySelector<HTMLButtonElement>('button.copy');
  if (!button) return;
  button.textContent = 'Copied to the clipboard ✓';
  window.setTimeout(() => (button.textContent = 'Copy as Markdown'), 2500);
}

window.addEventListener('message', (event: MessageEvent<ToDeltasWebview>) => {
  if (event.data.type === 'comparison') render(event.data.data);
  else if (event.data.type === 'copied') showCopied();
});
vscode.postMessage({ type: 'ready' });
