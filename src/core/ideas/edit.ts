/**
 * Edits to idea documents that change only what they must: one cell's content (padding kept
 * where it fits), one checkbox, or one inserted row or item. Everything else stays
 * byte-identical, CRLF included. The VS Code side turns these into a WorkspaceEdit.
 */
import { Idea, IdeaDocument, isFinished, TextRange } from './model';
import { LineIndex, splitRow } from './parse';

export interface TextEdit {
  range: TextRange;
  newText: string;
}

export class IdeaEditError extends Error {}

/** Applies edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.range.start - a.range.start)) {
    result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  }
  return result;
}

/** Cell-safe text: pipes escaped, line breaks flattened. */
function cellText(value: string): string {
  return value
    .replace(/\r?\n/g, ' ')
    .replace(/(?<!\\)\|/g, '\\|')
    .trim();
}

/** Replaces a cell's content, keeping its column width when the new content fits. */
function replaceCell(text: string, content: TextRange, value: string): TextEdit {
  const line = lineAround(text, content.start);
  const cell = splitRow(text, line).find((candidate) => candidate.content.start <= content.start && content.end <= candidate.end);
  if (!cell) return { range: content, newText: value };
  const newValue = cellText(value);
  // The cell is "|<lead>content<pad>|": keep <lead> (at least one space), fit <pad> to the old
  // width when the new content fits, else one space.
  const empty = content.start === content.end;
  let lead = text.slice(cell.start, empty ? Math.min(cell.start + 1, cell.end) : content.start);
  if (!lead) lead = ' ';
  const padding = Math.max(1, cell.end - cell.start - lead.length - newValue.length);
  const hasClosingPipe = text[cell.end] === '|';
  return { range: { start: cell.start, end: cell.end }, newText: `${lead}${newValue}${hasClosingPipe ? ' '.repeat(padding) : ''}` };
}

function lineAround(text: string, offset: number): TextRange {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return { start, end };
}

/** One line of text: a line break in a status or result would start a new item or row. */
function oneLine(value: string): string {
  return value.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
}

/** The edit that sets an idea's status. */
export function setStatusEdits(text: string, idea: Idea, rawStatus: string): TextEdit[] {
  const status = oneLine(rawStatus);
  if (idea.kind === 'table-row') {
    if (!idea.statusRange) throw new IdeaEditError(`${idea.document}:${idea.line}: the table of "${idea.title}" has no Status column`);
    return [replaceCell(text, idea.statusRange, status)];
  }
  const edits: TextEdit[] = [];
  const checked = isFinished(status) && !/^discard/i.test(status);
  if (idea.statusRange && checked !== idea.checked) edits.push({ range: idea.statusRange, newText: checked ? 'x' : ' ' });
  // Statuses a checkbox cannot say go in a "**Status**:" bullet under the item.
  const statusLine = findDetailLine(text, idea, 'Status');
  const plain = /^(to do|done)$/i.test(status);
  if (statusLine) {
    edits.push(plain ? { range: { start: statusLine.line.start, end: statusLine.line.end + lineBreakLength(text, statusLine.line.end) }, newText: '' } : { range: statusLine.value, newText: status });
  } else if (!plain) {
    const index = new LineIndex(text);
    const first = index.line(idea.line - 1);
    const indent = /^\s*/.exec(text.slice(first.start, first.end))![0];
    const eol = text.slice(first.end, first.end + 2).startsWith('\r\n') ? '\r\n' : '\n';
    edits.push({ range: { start: first.end, end: first.end }, newText: `${eol}${indent}  - **Status**: ${status}` });
  }
  return edits;
}

function lineBreakLength(text: string, end: number): number {
  if (text.startsWith('\r\n', end)) return 2;
  return text[end] === '\n' ? 1 : 0;
}

/** A "- **Label**: value" line inside a task item. */
function findDetailLine(text: string, idea: Idea, label: string): { line: TextRange; value: TextRange } | undefined {
  const index = new LineIndex(text);
  for (let line = idea.line; line < idea.endLine; line++) {
    const range = index.line(line);
    const match = new RegExp(`^(\\s*[-*+]\\s+\\*\\*${label}\\*\\*:?\\s*)(.*?)\\s*$`, 'i').exec(text.slice(range.start, range.end));
    if (match) {
      const start = range.start + match[1]!.length;
      return { line: range, value: { start, end: start + match[2]!.length } };
    }
  }
  return undefined;
}

/** The column a table needs for a change: the idea's table lacks it when this is not undefined. */
export function missingColumn(idea: Idea, change: 'status' | 'measured'): 'Status' | 'Measured' | undefined {
  if (idea.kind !== 'table-row') return undefined;
  if (change === 'status') return idea.statusRange ? undefined : 'Status';
  return idea.measuredRange ? undefined : 'Measured';
}

/**
 * Adds a column at the end of the idea's table (header, separator and every row, an empty cell
 * for the other rows) with `value` in the idea's row: one edit per line, applied as one change.
 */
export function addColumnEdits(text: string, idea: Idea, header: string, rawValue: string): TextEdit[] {
  if (idea.kind !== 'table-row' || !idea.table) throw new IdeaEditError(`${idea.document}:${idea.line}: "${idea.title}" is not in a table`);
  const value = cellText(oneLine(rawValue));
  const width = Math.max(header.length, value.length, 3);
  const index = new LineIndex(text);
  const edits: TextEdit[] = [];
  for (let line = idea.table.firstLine; line <= idea.table.lastLine; line++) {
    const lineText = index.lineText(line - 1);
    if (!lineText.includes('|')) continue;
    const content = line === idea.table.firstLine ? header : line === idea.table.firstLine + 1 ? '-'.repeat(width) : line === idea.line ? value : '';
    const cell = line === idea.table.firstLine + 1 ? `-${content}-` : ` ${content.padEnd(width)} `;
    const trimmed = lineText.trimEnd();
    const end = index.line(line - 1).start + trimmed.length;
    // A row written without its closing pipe gets one before the new cell.
    const closed = trimmed.endsWith('|') && !trimmed.endsWith('\\|');
    edits.push({ range: { start: end, end }, newText: closed ? `${cell}|` : ` |${cell}|` });
  }
  return edits;
}

/** The edit that records a measured result (Improvements / Measured column, or a bullet). */
export function setMeasuredEdits(text: string, idea: Idea, rawMeasured: string): TextEdit[] {
  const measured = oneLine(rawMeasured);
  if (idea.kind === 'table-row') {
    if (!idea.measuredRange) throw new IdeaEditError(`${idea.document}:${idea.line}: the table of "${idea.title}" has no Improvements or Measured column`);
    return [replaceCell(text, idea.measuredRange, measured)];
  }
  const existing = findDetailLine(text, idea, 'Measured');
  if (existing) return [{ range: existing.value, newText: measured }];
  const index = new LineIndex(text);
  const first = index.line(idea.line - 1);
  const indent = /^\s*/.exec(text.slice(first.start, first.end))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // After the item's last non-blank line.
  let lineNumber = idea.endLine - 1;
  while (lineNumber > idea.line - 1 && index.lineText(lineNumber).trim() === '') lineNumber--;
  const after = index.line(lineNumber);
  return [{ range: { start: after.end, end: after.end }, newText: `${eol}${indent}  - **Measured**: ${measured}` }];
}

/** Inserts a new idea after the last idea of a section (a row in its table, or a task item). */
export function newIdeaEdits(text: string, document: IdeaDocument, section: string[], title: string, status = 'To do'): TextEdit[] {
  const inSection = document.ideas.filter((idea) => idea.section.join('\u0000') === section.join('\u0000'));
  const last = inSection[inSection.length - 1];
  if (!last) throw new IdeaEditError(`${document.path}: section "${section.join(' › ')}" has no ideas to add after`);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const index = new LineIndex(text);
  if (last.kind === 'table-row') {
    const row = index.line(last.line - 1);
    const headerCells = splitRow(text, index.line(tableHeaderLine(index, last.line - 1)));
    const values = headerCells.map((cell, column) => {
      const name = text.slice(cell.content.start, cell.content.end).toLowerCase();
      if (column === 0) return cellText(title);
      return name === 'status' ? status : '';
    });
    return [{ range: { start: row.end, end: row.end }, newText: `${eol}| ${values.join(' | ')} |`.replace(/ {2}\|/g, ' |') }];
  }
  let lineNumber = last.endLine - 1;
  while (lineNumber > last.line - 1 && index.lineText(lineNumber).trim() === '') lineNumber--;
  const end = index.line(lineNumber).end;
  const indent = /^\s*/.exec(index.lineText(last.line - 1))![0];
  const marker = /^\s*([-*+])/.exec(index.lineText(last.line - 1))?.[1] ?? '-';
  return [{ range: { start: end, end }, newText: `${eol}${indent}${marker} [ ] **${title.trim()}**` }];
}

/** The header line of the table that holds the row at a 0-based line. */
function tableHeaderLine(index: LineIndex, rowLine: number): number {
  let line = rowLine;
  while (line > 0 && !/^\s*\|?\s*:?-{2,}/.test(index.lineText(line))) line--;
  return Math.max(0, line - 1);
}

/** A unified diff of a small change, for `perf-lab ideas set` (one hunk, 3 lines of context). */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - 3);
  const toA = Math.min(a.length - 1, endA + 3);
  const toB = Math.min(b.length - 1, endB + 3);
  const lines = [`--- a/${path}`, `+++ b/${path}`, `@@ -${from + 1},${toA - from + 1} +${from + 1},${toB - from + 1} @@`];
  for (let i = from; i < start; i++) lines.push(` ${a[i]}`);
  for (let i = start; i <= endA; i++) lines.push(`-${a[i]}`);
  for (let i = start; i <= endB; i++) lines.push(`+${b[i]}`);
  for (let i = endA + 1; i <= toA; i++) lines.push(` ${a[i]}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The file's bytes with only the lines that differ between `before` (its decoded text) and
 * `after` replaced: a byte that is not valid UTF-8 elsewhere in the file (decoded as U+FFFD)
 * stays the byte it was. A line break never belongs to a multi-byte sequence, so the bytes and
 * the text split into the same lines.
 */
export function spliceChangedLines(bytes: Uint8Array, before: string, after: string): Uint8Array {
  const oldLines = before.split('\n');
  const newLines = after.split('\n');
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (tail < oldLines.length - head && tail < newLines.length - head && oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]) tail++;
  if (head === oldLines.length && head === newLines.length) return bytes;
  // Byte offsets of the start of each line.
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) starts.push(i + 1);
  if (starts.length !== oldLines.length) throw new Error('the text is not the decoding of these bytes');
  const middle = newLines.slice(head, newLines.length - tail);
  // Lines added after the last one.
  if (head === oldLines.length) return Buffer.concat([bytes, Buffer.from(`\n${middle.join('\n')}`, 'utf8')]);
  // The old lines [head, length - tail) and, when a line follows them, their last line break.
  const followed = oldLines.length - tail < starts.length;
  let from = starts[head]!;
  const to = followed ? starts[oldLines.length - tail]! : bytes.length;
  let replacement: string;
  if (followed) replacement = middle.map((line) => `${line}\n`).join('');
  else if (middle.length > 0) replacement = middle.join('\n');
  else {
    // The last lines went: so does the line break before them.
    from = Math.max(0, from - 1);
    replacement = '';
  }
  return Buffer.concat([bytes.subarray(0, from), Buffer.from(replacement, 'utf8'), bytes.subarray(to)]);
}
