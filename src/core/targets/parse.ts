/**
 * Targets as teams write them in their performance documents:
 * - tables with a Target / Goal and or a Critical / Threshold column (`| Component | Current |
 *   Target | Improvement |`, `| Metric | Target | Critical Threshold |`);
 * - `name: <100ms (was 450ms)` lines, in lists or code blocks ("Benchmark Targets");
 * - `Startup Time: 450ms → <100ms` in headings, lists and paragraphs (what it is, then the goal);
 * - bullets under an "Alerting Thresholds" (or Critical, Limits, SLO) heading:
 *   "Crypto operation latency > 1ms" is critical past 1 ms;
 * - bullets under a "Baseline" heading: "Mean block time: ~12.68 ms", a measure to hold.
 * Each keeps its line and the range of its current figure, for links and "Record as Current".
 * No `vscode` import.
 */
import MarkdownIt from 'markdown-it';
import { inlineText, LineIndex, splitRow } from '../ideas/parse';
import type { TextRange } from '../ideas/model';
import { Bound, Dimension, parseBound, parseQuantity, Quantity } from './quantity';

export type TargetForm = 'table' | 'inline' | 'arrow' | 'threshold' | 'baseline';

export interface Target {
  name: string;
  document: string;
  /** 1-based line of the row, bullet or heading. */
  line: number;
  section: string[];
  form: TargetForm;
  /** Lower is better (time, memory) or higher (rates): from the figures and their comparisons. */
  direction: 'lower' | 'higher';
  /** What "fast enough" is. */
  goal?: Bound;
  /** Crossing it is critical (an alert), e.g. `> 2s` for a time. */
  critical?: Bound;
  /** The figure the document gives for now (Current column, "was", the left of an arrow, a baseline). */
  current?: Quantity;
  /** Where that figure is (or the empty Current cell), to write a measured value into. */
  currentRange?: TextRange;
  /** A goal written relative to now ("50% faster"): nothing to compare a measurement with. */
  relativeGoal?: string;
}

const markdown = new MarkdownIt('commonmark').enable('table');
markdown.core.ruler.disable('inline');

const clean = (text: string) => inlineText(text).replace(/\s+/g, ' ').trim();

function columnRole(header: string): 'goal' | 'critical' | 'current' | undefined {
  const name = clean(header).toLowerCase();
  if (/critical|threshold|alert|limit|max(imum)? allowed/.test(name)) return 'critical';
  if (/^(targets?|goals?|objectives?|budgets?|slos?)\b/.test(name)) return 'goal';
  if (/^(current|now|today|baseline|was|before|measured|actual)\b/.test(name)) return 'current';
  return undefined;
}

/** Lower is better unless the figures say more is: a rate, or a comparison with ">" for the goal. */
function directionOf(goal: Bound | undefined, critical: Bound | undefined, current: Quantity | undefined): 'lower' | 'higher' {
  if (goal?.op) return goal.op.startsWith('<') ? 'lower' : 'higher';
  if (critical?.op) return critical.op.startsWith('>') ? 'lower' : 'higher';
  const dimension: Dimension | undefined = goal?.quantity.dimension ?? critical?.quantity.dimension ?? current?.dimension;
  if (goal && current && goal.quantity.dimension === current.dimension && goal.quantity.value !== current.value) return goal.quantity.value < current.value ? 'lower' : 'higher';
  return dimension === 'rate' ? 'higher' : 'lower';
}

function target(fields: Omit<Target, 'direction'>): Target {
  return { ...fields, direction: directionOf(fields.goal, fields.critical, fields.current) };
}

/** The range of `part` inside line `line` (its first occurrence), trimmed. */
function rangeIn(lines: LineIndex, line: number, part: string): TextRange | undefined {
  const { start } = lines.line(line);
  const at = lines.lineText(line).indexOf(part);
  return at < 0 ? undefined : { start: start + at, end: start + at + part.length };
}

const bulletPrefix = /^\s*(?:[-*+]|\d+[.)])\s+/;
const strip = (text: string) => text.replace(/^\s*(?:#{1,6}\s+)?/, '').replace(bulletPrefix, '');
// `name: <100ms (was 450ms)`: a comparison is required, or every "key: value" line would be a target.
const inlineForm = /^`?([A-Za-z][\w ./-]*?)`?\s*:\s*((?:<=|>=|<|>|≤|≥)\s*[^()]+?)\s*(?:\((?:was|from|currently|now|today)\s+([^)]+)\))?\s*$/i;
// `Startup Time: 450ms → <100ms`
const arrowForm = /^([A-Za-z][^:→]*?)\s*:\s*(.+?)\s*(?:→|->|=>|⟶)\s*(.+?)\s*$/;
// `Crypto operation latency > 1ms`
const thresholdForm = /^(.+?)\s*(<=|>=|<|>|≤|≥)\s*(.+?)\s*$/;
// `Mean block time: ~12.68 ms`
const baselineForm = /^([^:]+?)\s*:\s*(.+?)\s*$/;

export function parseTargets(text: string, document: string): Target[] {
  const lines = new LineIndex(text);
  const tokens = markdown.parse(text, {});
  const targets: Target[] = [];
  const headings: { level: number; text: string }[] = [];
  const section = () => headings.map((heading) => heading.text);
  const under = (pattern: RegExp) => headings.some((heading) => pattern.test(heading.text));

  /** A line outside tables: the inline and arrow forms anywhere, thresholds and baselines under their headings. */
  const readLine = (line: number, inCode: boolean, bullet: boolean) => {
    const raw = lines.lineText(line);
    const body = clean(strip(raw)).replace(/^\*+|\*+$/g, '');
    if (!body) return;
    const inline = inlineForm.exec(body);
    if (inline) {
      const goal = parseBound(inline[2]!);
      if (goal) {
        const was = inline[3] ? parseQuantity(inline[3]) : undefined;
        const wasRange = inline[3] ? rangeIn(lines, line, inline[3].trim()) : undefined;
        targets.push(
          target({ name: inline[1]!.trim(), document, line: line + 1, section: section(), form: 'inline', goal, ...(was ? { current: was } : {}), ...(wasRange ? { currentRange: wasRange } : {}) }),
        );
        return;
      }
    }
    if (inCode) return;
    const arrow = arrowForm.exec(body);
    if (arrow) {
      const current = parseQuantity(arrow[2]!);
      const goal = parseBound(arrow[3]!);
      if (current && goal) {
        const currentRange = rangeIn(lines, line, current.text);
        targets.push(target({ name: arrow[1]!.trim(), document, line: line + 1, section: section(), form: 'arrow', goal, current, ...(currentRange ? { currentRange } : {}) }));
        return;
      }
    }
    if (!bullet) return;
    if (under(/alert|threshold|critical|limits?\b|slos?\b/i)) {
      const threshold = thresholdForm.exec(body);
      const critical = threshold && parseBound(`${threshold[2]} ${threshold[3]}`);
      if (threshold && critical) {
        targets.push(target({ name: threshold[1]!.trim(), document, line: line + 1, section: section(), form: 'threshold', critical }));
        return;
      }
    }
    if (under(/baseline/i)) {
      const baseline = baselineForm.exec(body);
      const current = baseline && parseQuantity(baseline[2]!);
      if (baseline && current && current.dimension !== 'count') {
        const currentRange = rangeIn(lines, line, current.text);
        targets.push(target({ name: baseline[1]!.trim(), document, line: line + 1, section: section(), form: 'baseline', current, ...(currentRange ? { currentRange } : {}) }));
      }
    }
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'heading_open' && token.map) {
      const level = Number(token.tag.slice(1));
      while (headings.length && headings[headings.length - 1]!.level >= level) headings.pop();
      headings.push({ level, text: clean(tokens[i + 1]?.content ?? '') });
      readLine(token.map[0], false, false);
    } else if (token.type === 'table_open') {
      i = readTable(tokens, i, text, lines, document, section(), targets);
    } else if ((token.type === 'fence' || token.type === 'code_block') && token.map) {
      for (let line = token.map[0]; line < token.map[1]; line++) readLine(line, true, false);
    } else if (token.type === 'inline' && token.map && tokens[i - 1]?.type === 'paragraph_open') {
      const bullet = tokens[i - 2]?.type === 'list_item_open';
      for (let line = token.map[0]; line < token.map[1]; line++) readLine(line, false, bullet && line === token.map[0]);
    }
  }
  return targets;
}

const relativeGoal = /(\d+(?:\.\d+)?)\s*(%|x|×)\s*(faster|slower|less|more|fewer|smaller|lower|higher|better|reduction|quicker)/i;

/** The goal a relative one names against the current figure: 50% faster of 10 s is 5 s, 10x lower of 1 MB is 100 kB. */
function relativeTo(current: Quantity, [, amount, kind, way]: RegExpExecArray): Bound | undefined {
  const n = Number(amount);
  // "Faster" is less of a time and more of a rate; "lower", "less" and the like are less of either.
  const down = current.dimension === 'rate' ? /less|fewer|smaller|lower|reduction|slower/i.test(way!) : !/more|higher|slower/i.test(way!);
  const factor = kind === '%' ? (down ? 1 - n / 100 : 1 + n / 100) : down ? 1 / n : n;
  if (!(factor > 0)) return undefined;
  return { op: down ? '<=' : '>=', quantity: { ...current, value: current.value * factor, approximate: false, text: `${amount}${kind} ${way}` } };
}

function readTable(tokens: ReturnType<MarkdownIt['parse']>, open: number, text: string, lines: LineIndex, document: string, section: string[], targets: Target[]): number {
  const headers: string[] = [];
  let i = open + 1;
  for (; i < tokens.length && tokens[i]!.type !== 'tbody_open' && tokens[i]!.type !== 'table_close'; i++) {
    if (tokens[i]!.type === 'th_open') headers.push(tokens[i + 1]?.content ?? '');
  }
  const roles = headers.map((header, index) => (index === 0 ? undefined : columnRole(header)));
  const goalColumn = roles.indexOf('goal');
  const criticalColumn = roles.indexOf('critical');
  const currentColumn = roles.indexOf('current');
  const isTargets = goalColumn > 0 || criticalColumn > 0;
  for (; i < tokens.length && tokens[i]!.type !== 'table_close'; i++) {
    const row = tokens[i]!;
    if (!isTargets || row.type !== 'tr_open' || !row.map) continue;
    const values: string[] = [];
    for (let j = i + 1; j < tokens.length && tokens[j]!.type !== 'tr_close'; j++) {
      if (tokens[j]!.type === 'td_open') values.push(clean(tokens[j + 1]?.content ?? ''));
    }
    const name = values[0]?.replace(/^\*+|\*+$/g, '');
    if (!name) continue;
    const line = row.map[0];
    const goalText = goalColumn > 0 ? (values[goalColumn] ?? '') : '';
    const goal = goalText ? parseBound(goalText) : undefined;
    const critical = criticalColumn > 0 && values[criticalColumn] ? parseBound(values[criticalColumn]!) : undefined;
    const relative = relativeGoal.exec(goalText);
    if (!goal && !critical && !relative) continue;
    const current = currentColumn > 0 && values[currentColumn] ? parseQuantity(values[currentColumn]!) : undefined;
    // "50% faster", "10x lower" than the Current figure: a goal once there is one.
    const derived = relative && current ? relativeTo(current, relative) : undefined;
    const cell = currentColumn > 0 ? splitRow(text, lines.line(line))[currentColumn] : undefined;
    targets.push(
      target({
        name,
        document,
        line: line + 1,
        section,
        form: 'table',
        ...(derived ? { goal: derived } : goal && goal.quantity.dimension !== 'percent' ? { goal } : {}),
        ...(critical ? { critical } : {}),
        ...(current ? { current } : {}),
        ...(cell ? { currentRange: cell.content } : {}),
        ...(relative ? { relativeGoal: goalText } : {}),
      }),
    );
  }
  return i;
}
