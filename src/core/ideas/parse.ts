/**
 * Reads ideas out of markdown with a real CommonMark + GFM-tables parser (markdown-it), so code
 * blocks are never taken for headings or ideas. The parser says which lines are table rows and
 * list items; cell and checkbox offsets are then found within those lines, so edits can change
 * exactly one cell or one checkbox.
 */
import MarkdownIt from 'markdown-it';
type Token = ReturnType<MarkdownIt['parse']>[number];
import { Idea, IdeaDocument, IdeaLocation, TextRange } from './model';

// Block structure only (headings, tables, lists, code blocks): inline text is read by
// `inlineText` below, which is all ideas need and keeps a 5,000-idea document fast to parse.
const markdown = new MarkdownIt('commonmark').enable('table');
markdown.core.ruler.disable('inline');

/**
 * The plain text of inline markdown: code spans keep their content, emphasis markers go,
 * backslash escapes are undone, links keep their text.
 */
export function inlineText(raw: string): string {
  let text = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === '`') {
      let run = 1;
      while (raw[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      const close = raw.indexOf(fence, i + run);
      if (close >= 0) {
        const content = raw.slice(i + run, close);
        text += content.length > 1 && content.startsWith(' ') && content.endsWith(' ') ? content.slice(1, -1) : content;
        i = close + run - 1;
        continue;
      }
      text += fence;
      i += run - 1;
    } else if (char === '\\' && i + 1 < raw.length && /[!-/:-@[-`{-~]/.test(raw[i + 1]!)) {
      text += raw[++i];
    } else if (char === '*') {
      // emphasis marker
    } else if (char === '_') {
      const before = raw[i - 1] ?? ' ';
      let run = 1;
      while (raw[i + run] === '_') run++;
      const after = raw[i + run] ?? ' ';
      // Underscores inside a word (snake_case) are text; at a word's edge they mark emphasis.
      if (/\w/.test(before) && /\w/.test(after)) text += raw.slice(i, i + run);
      i += run - 1;
    } else if (char === '[') {
      const link = /^!?\[([^\]]*)\]\([^)]*\)/.exec(raw.slice(raw[i - 1] === '!' ? i - 1 : i));
      if (link) {
        text += inlineText(link[1]!);
        i += link[0].length - (raw[i - 1] === '!' ? 2 : 1);
      } else text += char;
    } else if (char === '!' && raw[i + 1] === '[') {
      // the image's alt text follows
    } else {
      text += char;
    }
  }
  return text;
}

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
  for (let open = text.indexOf('`', range.start); open >= 0 && open < range.end;) {
    let run = 1;
    while (text[open + run] === '`') run++;
    const fence = run === 1 ? '`' : '`'.repeat(run);
    const close = text.indexOf(fence, open + run);
    if (close < 0 || close >= range.end) break;
    const start = open + run;
    // Only short spans can be paths; skip the slice for long code.
    if (close - start < 300) {
      const location = parseLocation(text.slice(start, close), { start, end: close });
      if (location) locations.push(location);
    }
    open = text.indexOf('`', close + run);
  }
  return locations;
}

/** Plain text of an inline token (its raw content: inline rules are off). */
function plainText(token: Token | undefined): string {
  return token ? inlineText(token.content.replace(/\n/g, ' ')) : '';
}

function slug(title: string): string {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(title);
  return (
    title
      .toLowerCase()
      .replace(ascii ? /[^a-z0-9]+/g : /[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'idea'
  );
}

/** The bold text a line starts with ("**Title** ..." or "__Title__ ..."). */
function strongAtStart(raw: string): string | undefined {
  const match = /^\s*(\*\*|__)(.+?)\1/.exec(raw);
  return match ? inlineText(match[2]!).trim() : undefined;
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
        const name = strongAtStart(inline.content);
        if (name) legend.push(name.replace(/:$/, ''));
      }
      if (!box || !/^\[[ xX]\]/.test(inline.content)) continue;
      ideas.push(readTask(tokens, i, inline, box, text, lines, document, section(), makeId));
    }
  }
  return { path: document, title: title ?? document.split('/').pop()!, ideas, legend };
}

function readTable(tokens: Token[], open: number, text: string, lines: LineIndex, document: string, section: string[], makeId: (title: string) => string, ideas: Idea[]): number {
  const headers: string[] = [];
  let i = open + 1;
  for (; i < tokens.length && tokens[i]!.type !== 'table_close'; i++) {
    if (tokens[i]!.type === 'th_open') headers.push(plainText(tokens[i + 1]).trim());
    if (tokens[i]!.type === 'tbody_open' || tokens[i]!.type === 'thead_close') break;
  }
  const table = tokens[open]!.map ? { firstLine: tokens[open]!.map![0] + 1, lastLine: tokens[open]!.map![1] } : undefined;
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
      ...(table ? { table } : {}),
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

function readTask(tokens: Token[], open: number, inline: Token, box: RegExpExecArray, text: string, lines: LineIndex, document: string, section: string[], makeId: (title: string) => string): Idea {
  const item = tokens[open]!;
  const [firstLine, endLine] = item.map!;
  const lineRange = lines.line(firstLine);
  const checkboxOffset = lineRange.start + box[1]!.length + 1;
  const checked = box[2] !== ' ';
  const withoutBox = inline.content.replace(/^\[[ xX]\]\s*/, '');
  const firstLineText = withoutBox.split('\n')[0]!;
  let ideaTitle = strongAtStart(firstLineText);
  if (!ideaTitle) {
    ideaTitle = inlineText(firstLineText)
      .replace(/\s*\(.*$/, '')
      .replace(/[:\-–—]\s*$/, '')
      .trim();
  }
  const range: TextRange = { start: lineRange.start, end: lines.line(endLine - 1).end };
  const idea: Idea = {
    id: makeId(ideaTitle || 'task'),
    kind: 'task',
    title: ideaTitle || inlineText(firstLineText).trim(),
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
      const label = strongAtStart(token.content);
      if (!label) continue;
      const value = plainText(token)
        .trim()
        .slice(label.length)
        .replace(/^\s*:?\s*/, '')
        .trim();
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
