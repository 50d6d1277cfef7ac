/** Ideas read from a team's optimization documents. No `vscode` import. */

/** A half-open range of character offsets in the document text. */
export interface TextRange {
  start: number;
  end: number;
}

export interface IdeaLocation {
  /** As written, e.g. "crates/x/src/mining.rs:167" or "mem.rs:indirect_raw_size". */
  text: string;
  /** The path part, e.g. "crates/x/src/mining.rs". */
  path: string;
  line?: number;
  endLine?: number;
  /** A function or symbol named instead of a line ("mem.rs:indirect_raw_size"). */
  symbol?: string;
  /** Where the text is in the document. */
  range: TextRange;
  /** Set by resolution: the workspace-relative file it points to, and the line found. */
  file?: string;
  resolvedLine?: number;
  resolved?: boolean;
}

export type IdeaKind = 'table-row' | 'task';

export interface Idea {
  /** Stable across unrelated edits: document + slug of the title (+ "-2"... when repeated). */
  id: string;
  kind: IdeaKind;
  title: string;
  /** Document path as given to the parser. */
  document: string;
  /** 1-based line of the row or the task item. */
  line: number;
  endLine: number;
  /** Headings above it, outermost first. */
  section: string[];
  status?: string;
  /** Where the status is written: the Status cell's content, or the task checkbox. */
  statusRange?: TextRange;
  /** For task items: whether the box is checked. */
  checked?: boolean;
  /** Estimated impact (an Impact column or an "Impact:" bullet). */
  impact?: string;
  /** Measured results (Improvements / Measured column). */
  measured?: string;
  measuredRange?: TextRange;
  /** For table rows: the table's 1-based first (header) and last line, for adding a column. */
  table?: { firstLine: number; lastLine: number };
  regressions?: string;
  notes?: string;
  /** Other labelled details: "Current issue", "Solution", "Why", ... */
  details: Record<string, string>;
  locations: IdeaLocation[];
  range: TextRange;
}

export interface IdeaDocument {
  path: string;
  /** The first heading, or the file name. */
  title: string;
  ideas: Idea[];
  /** Statuses the document defines in its own legend ("- **To do**: ..."), if any. */
  legend: string[];
}

export const defaultStatuses = ['To do', 'In progress', 'Review', 'Benches', 'Done', 'Discarded'];
export const verdictStatuses = ['KEEP', 'MAYBE', 'DISCARD', 'NOISY', 'REJECT', 'KILL'];

/** Statuses that count as finished for progress. */
export function isFinished(status: string | undefined): boolean {
  if (!status) return false;
  return /^(done|discarded|keep|discard|reject|kill)\b/i.test(status.trim());
}
