/**
 * Reads ideas out of markdown with a real CommonMark + GFM-tables parser (markdown-it), so code
 * blocks are never taken for headings or ideas. The parser says which lines are table rows and
 * list items; cell and checkbox offsets are then found within those lines, so edits can change
 * exactly one cell or one checkbox.
 */
import MarkdownIt from 'markdown-it';
type Token = ReturnType<MarkdownIt['parse']>[number];
import { Idea, IdeaDocument, IdeaLocation, TextRange } from './model';

const markdown = new MarkdownIt('commonmark').enable('table');

/** Offsets of line starts and ends (without the line break) in the original text. */
export class LineIndex {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  /** 0-based line -> [start, end) without "\r\n". */
  line(index: number): TextRange {
    const start = this.starts[index] ?? this.text.length;
    let end = index + 1 < this.starts.length ? this.starts[index + 1]! - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return { start, end };
  }
  lineText(index: number): string {
    const { start, end } = this.line(index);
    return this.text.slice(start, end);
  }
  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

type Role = 'idea' | 'status' | 'impact' | 'measured' | 'regressions' | 'notes' | 'location' | 'other';

const ideaHeader = /^(ideas?|tasks?|optimi[sz]ations?|names?|titles?|proposals?|changes?|improvement ideas?|opportunit(y|ies))$/i;

function roleOf(header: string): Role {
  const name = header.trim().toLowerCase();
  if (name === 'status' || name === 'state') return 'status';
  if (/^(estimated |expected )?(impact|gain)s?$/.test(name)) return 'impact';
  if (/^(improvements?|measured( delta)?|results?|delta)$/.test(name)) return 'measured';
  if (/^regressions?$/.test(name)) return 'regressions';
  if (/^(notes?|comments?)$/.test(name)) return 'notes';
  if (/^((key )?locations?|files?|where|code)$/.test(name)) return 'location';
  return 'other';
}

/** A cell of a table row in the source: its content (trimmed) and the pipe that ends it. */
export interface SourceCell {
  content: TextRange;
  /** Offset of the cell's closing pipe, or the line end. */
  end: number;
  /** Offset just after the opening pipe (or the line start). */
  start: number;
}

/** Splits a table row line into cells on unescaped pipes (GFM: pipes in code spans split too). */
export function splitRow(text: string, line: TextRange): SourceCell[] {
  const cells: SourceCell[] = [];
  let position = line.start;
  while (position < line.end && (text[position] === ' ' || text[position] === '\t')) position++;
  if (text[position] === '|') position++;
  let cellStart = position;
  for (let i = position; i <= line.end; i++) {
    const char = i < line.end ? text[i] : '|';
    if (char === '\\') {
      i++;
      continue;
    }
    if (char !== '|') continue;
    const atEnd = i === line.end;
    let contentStart = cellStart;
    let contentEnd = i;
    while (contentStart < contentEnd && /\s/.test(text[contentStart]!)) contentStart++;
    while (contentEnd > contentStart && /\s/.test(text[contentEnd - 1]!)) contentEnd--;
    // A trailing pipe ends the row: nothing after it is a cell.
    if (!(atEnd && contentStart === contentEnd && cells.length > 0 && text.slice(cellStart, i).trim() === '')) {
      cells.push({ start: cellStart, end: i, content: { start: contentStart, end: contentEnd } });
    }
    cellStart = i + 1;
  }
  return cells;
}

const pathLike =
  /^(?<path>(?:[\w.@-]+\/)*[\w.@-]+\.(?:rs|c|cc|cpp|cxx|h|hh|hpp|hxx|inl|go|py|ts|tsx|js|java|kt|zig|swift|m|mm|s|S|toml|cmake|proto|sol))(?::(?:(?<line>\d+)(?:-(?<endLine>\d+))?|(?<symbol>[A-Za-z_][\w:<>]*(?:\(\))?)))?$|^(?<dir>(?:[\w.@-]+\/)+)$/;

/** A location from a code span or cell text, or undefined when it does not look like one. */
export function parseLocation(text: string, range: TextRange): IdeaLocation | undefined {
  const match = pathLike.exec(text.trim());
  if (!match?.groups) return undefined;
  const groups = match.groups;
  const location: IdeaLocation = { text: text.trim(), path: groups.path ?? groups.dir!, range };
  if (groups.line) location.line = Number(groups.line);
  if (groups.endLine) location.endLine = Number(groups.endLine);
  if (groups.symbol) location.symbol = groups.symbol.replace(/\(\)$/, '');
  return location;
}

/** Path-like code spans (`...`) within a range of the source. */
function codeSpanLocations(text: string, range: TextRange): IdeaLocation[] {
  const locations: IdeaLocation[] = [];
  const slice = text.slice(range.start, range.end);
  for (const match of slice.matchAll(/(`+)([^`]+?)\1/g)) {
    const start = range.start + match.index! + match[1]!.length;
    const location = parseLocation(match[2]!, { start, end: start + match[2]!.length });
    if (location) locations.push(location);
  }
  return locations;
}

/** Plain text of an inline token: text and code, without emphasis markers. */
function plainText(token: Token | undefined): string {
  if (!token) return '';
  if (!token.children) return token.content;
  return token.children.map((child) => (child.type === 'text' || child.type === 'code_inline' ? child.content : child.type === 'softbreak' ? ' ' : '')).join('');
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'idea'
  );
}

function strongAtStart(inline: Token): string | undefined {
  const children = inline.children ?? [];
  let i = 0;
  while (i < children.length && children[i]!.type === 'text' && children[i]!.content.trim() === '') i++;
  if (children[i]?.type !== 'strong_open') return undefined;
  let text = '';
  for (i++; i < children.length && children[i]!.type !== 'strong_close'; i++) text += children[i]!.type === 'text' || children[i]!.type === 'code_inline' ? children[i]!.content : '';
  return text.trim();
}

const taskLine = /^(\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+)\[([ xX])\]/;

export function parseIdeas(text: string, document: string): IdeaDocument {
  const lines = new LineIndex(text);
  const tokens = markdown.parse(text, {});
  const ideas: Idea[] = [];
  const headings: { level: number; text: string }[] = [];
  const legend: string[] = [];
  let title: string | undefined;
  const ids = new Map<string, number>();

  const makeId = (ideaTitle: string) => {
    const base = `${document}#${slug(ideaTitle)}`;
    const count = (ids.get(base) ?? 0) + 1;
    ids.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  };
  const section = () => headings.map((heading) => heading.text);
  const inLegend = () => /legend/i.test(headings[headings.length - 1]?.text ?? '');

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'heading_open') {
      const level = Number(token.tag.slice(1));
      const headingText = plainText(tokens[i + 1]).trim();
      while (headings.length && headings[headings.length - 1]!.level >= level) headings.pop();
      headings.push({ level, text: headingText });
      title ??= headingText;
    } else if (token.type === 'table_open') {
      i = readTable(tokens, i, text, lines, document, section(), makeId, ideas);
    } else if (token.type === 'list_item_open' && token.map) {
      const inline = tokens[i + 1]?.type === 'paragraph_open' ? tokens[i + 2] : undefined;
      if (inline?.type !== 'inline') continue;
      const firstLine = token.map[0];
      const lineText = lines.lineText(firstLine);
      const box = taskLine.exec(lineText);
      if (inLegend()) {
        const name = strongAtStart(inline);
        if (name) legend.push(name.replace(/:$/, ''));
      }
      if (!box || !/^\[[ xX]\]/.test(inline.content)) continue;
      ideas.push(readTask(tokens, i, inline, box, text, lines, document, section(), makeId));
    }
  }
  return { path: document, title: title ?? document.split('/').pop()!, ideas, legend };
}

function readTable(
  tokens: Token[],
  open: number,
  text: string,
  lines: LineIndex,
  document: string,
  section: string[],
  makeId: (title: string) => string,
  ideas: Idea[],
): number {
  const headers: string[] = [];
  let i = open + 1;
  for (; i < tokens.length && tokens[i]!.type !== 'table_close'; i++) {
    if (tokens[i]!.type === 'th_open') headers.push(plainText(tokens[i + 1]).trim());
    if (tokens[i]!.type === 'tbody_open' || tokens[i]!.type === 'thead_close') break;
  }
  const roles = headers.map((header, index) => (index === 0 && ideaHeader.test(header.replace(/[*_`]/g, '').trim()) ? 'idea' : roleOf(header)));
  const isIdeaTable = roles[0] === 'idea';
  for (; i < tokens.length && tokens[i]!.type !== 'table_close'; i++) {
    const row = tokens[i]!;
    if (!isIdeaTable || row.type !== 'tr_open' || !row.map) continue;
    const lineNumber = row.map[0];
    const lineRange = lines.line(lineNumber);
    if (lines.lineText(lineNumber).trim().startsWith('|') === false && !lines.lineText(lineNumber).includes('|')) continue;
    const cells = splitRow(text, lineRange);
    const values: string[] = [];
    for (let j = i + 1; j < tokens.length && tokens[j]!.type !== 'tr_close'; j++) {
      if (tokens[j]!.type === 'td_open' || tokens[j]!.type === 'th_open') values.push(plainText(tokens[j + 1]).trim());
    }
    if (headers.length === 0 || values.length === 0) continue;
    const ideaTitle = values[0]!;
    if (!ideaTitle) continue;
    const idea: Idea = {
      id: makeId(ideaTitle),
      kind: 'table-row',
      title: ideaTitle,
      document,
      line: lineNumber + 1,
      endLine: lineNumber + 1,
      section,
      details: {},
      locations: [],
      range: lineRange,
    };
    roles.forEach((role, column) => {
      const value = values[column] ?? '';
      const cell = cells[column];
      switch (role) {
        case 'status':
          if (value) idea.status = value;
          if (cell) idea.statusRange = cell.content;
          break;
        case 'impact':
          if (value) idea.impact = value;
          break;
        case 'measured':
          if (value) idea.measured = value;
          if (cell) idea.measuredRange = cell.content;
          break;
        case 'regressions':
          if (value) idea.regressions = value;
          break;
        case 'notes':
          if (value) idea.notes = value;
          break;
        case 'other':
          if (value && column > 0) idea.details[headers[column]!] = value;
          break;
        default:
          break;
      }
      if (!cell) return;
      const spans = codeSpanLocations(text, cell.content);
      if (role === 'location' && spans.length === 0) {
        const bare = parseLocation(text.slice(cell.content.start, cell.content.end), cell.content);
        if (bare) spans.push(bare);
      }
      idea.locations.push(...spans);
    });
    ideas.push(idea);
  }
  return i;
}

function readTask(
  tokens: Token[],
  open: number,
  inline: Token,
  box: RegExpExecArray,
  text: string,
  lines: LineIndex,
  document: string,
  section: string[],
  makeId: (title: string) => string,
): Idea {
  const item = tokens[open]!;
  const [firstLine, endLine] = item.map!;
  const lineRange = lines.line(firstLine);
  const checkboxOffset = lineRange.start + box[1]!.length + 1;
  const checked = box[2] !== ' ';
  const withoutBox = { ...inline, children: dropCheckbox(inline.children ?? []) } as Token;
  let ideaTitle = strongAtStart(withoutBox);
  if (!ideaTitle) {
    ideaTitle = plainText(withoutBox).split('\n')[0]!.replace(/\s*\(.*$/, '').replace(/[:\-–—]\s*$/, '').trim();
  }
  const range: TextRange = { start: lineRange.start, end: lines.line(endLine - 1).end };
  const idea: Idea = {
    id: makeId(ideaTitle || 'task'),
    kind: 'task',
    title: ideaTitle || plainText(withoutBox).trim(),
    document,
    line: firstLine + 1,
    endLine,
    section,
    status: checked ? 'Done' : 'To do',
    statusRange: { start: checkboxOffset, end: checkboxOffset + 1 },
    checked,
    details: {},
    locations: codeSpanLocations(text, range),
    range,
  };
  // Nested bullets "**Label**: value" are the task's details.
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'list_item_open') depth++;
    if (token.type === 'list_item_close') {
      if (depth === 0) break;
      depth--;
    }
    if (depth === 1 && token.type === 'inline' && tokens[i - 2]?.type === 'list_item_open') {
      const label = strongAtStart(token);
      if (!label) continue;
      const value = plainText(token).trim().slice(label.length).replace(/^\s*:?\s*/, '').trim();
      const key = label.replace(/:$/, '').trim();
      if (/^impact$/i.test(key)) idea.impact = value;
      else if (/^status$/i.test(key)) idea.status = value;
      else if (/^notes?$/i.test(key)) idea.notes = value;
      else if (/^(measured|results?)$/i.test(key)) idea.measured = value;
      else idea.details[key] = value;
    }
  }
  return idea;
}

function dropCheckbox(children: Token[]): Token[] {
  const [first, ...rest] = children;
  if (first?.type === 'text' && /^\[[ xX]\]\s*/.test(first.content)) {
    const remaining = first.content.replace(/^\[[ xX]\]\s*/, '');
    return remaining ? [{ ...first, content: remaining } as Token, ...rest] : rest;
  }
  return children;
}
