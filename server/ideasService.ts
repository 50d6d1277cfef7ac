/**
 * The workspace's idea documents, kept parsed by the server: found by glob, read from the
 * editor when open (unsaved changes included) or from disk, locations resolved against the
 * workspace's files. Answers the Ideas view, edits, CodeLenses in source files, and diagnostics,
 * links and completion in the idea documents.
 */
import { readTextFile } from '../src/core/readText';
import * as path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  CodeLens,
  CompletionItem,
  CompletionItemKind,
  Diagnostic,
  DiagnosticSeverity,
  DocumentLink,
  Position,
  Range,
  TextEdit as LspTextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import {
  addColumnEdits,
  defaultIdeaDocumentGlobs,
  defaultStatuses,
  Idea,
  IdeaDocument,
  IdeaEditError,
  LineIndex,
  listFiles,
  matchesAny,
  missingColumn,
  newIdeaEdits,
  parseIdeas,
  resolveLocations,
  setMeasuredEdits,
  setStatusEdits,
  splitRow,
  TextEdit,
  TextRange,
  verdictStatuses,
} from '../src/core/ideas';
import { parseTargets, Target } from '../src/core/targets';
import { IdeaDocumentItem, IdeaEditParams, lensCommand, NewIdeaParams } from '../src/protocol/lsp';
import { folderOf, toPath, toUri, WorkspaceFolders } from './folders';

interface IdeasSettings {
  documents: string[];
  statuses: string[];
}

interface LoadedDocument {
  root: string;
  relative: string;
  text: string;
  lines: LineIndex;
  parsed: IdeaDocument;
  /** The targets it states (src/core/targets). */
  targets: Target[];
}

/** What a document with targets says, for the targets service. */
export interface TargetDocument {
  file: string;
  root: string;
  relative: string;
  text: string;
  lines: LineIndex;
  targets: Target[];
}

// Only documents that could state a target are read for them (a second markdown parse).
const mayStateTargets = /target|goal|threshold|critical|baseline|alert|→|->/i;

/** Where an edit or a read gets a document's current text. */
export interface DocumentSource {
  /** The editor's text when the document is open. */
  openText(uri: string): string | undefined;
}

/** A file's text as the user sees it: the editor's when open (unsaved edits), else the disk's. */
export function currentText(source: DocumentSource, file: string): string | undefined {
  return source.openText(toUri(file)) ?? readTextFile(file);
}

export const diagnosticSource = 'Perf Lab';

export class IdeasService {
  private filesByRoot = new Map<string, string[]>();
  private readonly documents = new Map<string, LoadedDocument>();

  constructor(
    private readonly source: DocumentSource,
    private readonly folders: WorkspaceFolders,
  ) {}

  /** A folder's perfLab.ideas settings, the defaults where unset. */
  private settingsOf(root: string): IdeasSettings {
    const { documents, statuses } = this.folders.of(root).ideas;
    return { documents: documents?.length ? documents : defaultIdeaDocumentGlobs, statuses: statuses ?? [] };
  }

  /** Lists the workspace's files and reads every idea document. */
  rescan(): void {
    this.filesByRoot = new Map(this.folders.roots().map((root) => [root, listFiles(root)]));
    this.documents.clear();
    for (const [root, files] of this.filesByRoot) {
      for (const relative of files) if (this.isIdeaDocument(root, relative)) this.load(path.join(root, relative));
    }
    this.resolve();
  }

  /** Re-reads one file after it changed in the editor or on disk; true when ideas changed. */
  refresh(uri: string): boolean {
    const file = toPath(uri);
    const root = this.rootOf(file);
    if (!root) return false;
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (!this.isIdeaDocument(root, relative)) return false;
    this.load(file);
    this.resolve();
    return true;
  }

  /** The documents that state targets, by path. */
  targetDocuments(): TargetDocument[] {
    return [...this.documents.entries()]
      .filter(([, document]) => document.targets.length > 0)
      .sort(([, a], [, b]) => a.relative.localeCompare(b.relative))
      .map(([file, document]) => ({ file, root: document.root, relative: document.relative, text: document.text, lines: document.lines, targets: document.targets }));
  }

  /** Every idea document read (with ideas or targets or neither), for publishing diagnostics. */
  documentUris(): string[] {
    return [...this.documents.keys()].map(toUri);
  }

  list(): IdeaDocumentItem[] {
    return [...this.documents.entries()]
      .filter(([, document]) => document.parsed.ideas.length > 0)
      .sort(([, a], [, b]) => a.relative.localeCompare(b.relative))
      .map(([file, document]) => ({
        uri: toUri(file),
        path: document.relative,
        title: document.parsed.title,
        statuses: this.statusesOf(document),
        ideas: document.parsed.ideas.map((idea) => ({
          id: idea.id,
          kind: idea.kind,
          ...(missingColumn(idea, 'status') ? { noStatusColumn: true } : {}),
          ...(missingColumn(idea, 'measured') ? { noMeasuredColumn: true } : {}),
          title: idea.title,
          line: idea.line - 1,
          section: idea.section,
          ...(idea.status !== undefined ? { status: idea.status } : {}),
          ...(idea.impact !== undefined ? { impact: idea.impact } : {}),
          ...(idea.measured !== undefined ? { measured: idea.measured } : {}),
          ...(idea.notes !== undefined ? { notes: idea.notes } : {}),
          markdown: document.text.slice(idea.range.start, idea.range.end),
          locations: idea.locations.map((location) => ({
            text: location.text,
            resolved: location.resolved ?? false,
            ...(location.file !== undefined ? { uri: toUri(path.join(document.root, location.file)) } : {}),
            ...(location.resolvedLine !== undefined ? { line: location.resolvedLine - 1 } : {}),
          })),
        })),
      }));
  }

  /** The edit setting a status or measured result, on the document as the editor has it. */
  edit(params: IdeaEditParams): WorkspaceEdit {
    const { document, idea } = this.findIdea(params.uri, params.ideaId);
    try {
      if (params.status !== undefined && params.measured !== undefined) throw new IdeaEditError('set the status and the measured result one at a time');
      const change = params.status !== undefined ? 'status' : 'measured';
      const value = params.status ?? params.measured ?? '';
      const missing = missingColumn(idea, change);
      let edits: TextEdit[];
      // A table without the column gets one only when the user agreed (addColumn).
      if (missing && params.addColumn) edits = addColumnEdits(document.text, idea, missing, value);
      else if (change === 'status') edits = setStatusEdits(document.text, idea, value);
      else edits = setMeasuredEdits(document.text, idea, value);
      return this.workspaceEdit(params.uri, document, edits);
    } catch (error) {
      if (error instanceof IdeaEditError) throw new Error(error.message);
      throw error;
    }
  }

  newIdea(params: NewIdeaParams): WorkspaceEdit {
    const document = this.current(params.uri);
    try {
      return this.workspaceEdit(params.uri, document, newIdeaEdits(document.text, document.parsed, params.section, params.title));
    } catch (error) {
      if (error instanceof IdeaEditError) throw new Error(error.message);
      throw error;
    }
  }

  /** "💡 Title · Tier · Status" above each resolved location in a source file. */
  codeLenses(uri: string): CodeLens[] {
    const file = toPath(uri);
    const lenses: CodeLens[] = [];
    for (const [documentFile, document] of this.documents) {
      for (const idea of document.parsed.ideas) {
        for (const location of idea.locations) {
          if (!location.resolved || location.file === undefined || path.join(document.root, location.file) !== file) continue;
          const line = Math.max(0, (location.resolvedLine ?? 1) - 1);
          const tier = idea.section[idea.section.length - 1];
          const title = ['💡 ' + idea.title, tier, idea.status].filter(Boolean).join(' · ');
          lenses.push({
            range: Range.create(line, 0, line, 0),
            command: lensCommand(title, 'perfLab.ideas.open', { uri: toUri(documentFile), line: idea.line - 1 }),
          });
        }
      }
    }
    return lenses;
  }

  /** Unresolved locations and unknown statuses in an idea document. */
  diagnostics(uri: string): Diagnostic[] {
    const document = this.documents.get(toPath(uri));
    if (!document) return [];
    const known = new Set(this.statusesOf(document).map((status) => status.toLowerCase()));
    const diagnostics: Diagnostic[] = [];
    for (const idea of document.parsed.ideas) {
      for (const location of idea.locations) {
        if (location.resolved) continue;
        const exists = location.file !== undefined;
        diagnostics.push({
          range: this.range(document, location.range),
          severity: DiagnosticSeverity.Warning,
          source: diagnosticSource,
          code: 'unresolved-location',
          message: exists
            ? `"${location.text}": ${location.symbol ? `no definition of ${location.symbol} in ${location.file}` : `line ${location.line} is past the end of ${location.file}`}`
            : `"${location.text}": no file in the workspace ends with ${location.path}`,
        });
      }
      if (idea.kind === 'table-row' && idea.status && idea.statusRange && !known.has(idea.status.toLowerCase())) {
        diagnostics.push({
          range: this.range(document, idea.statusRange),
          severity: DiagnosticSeverity.Warning,
          source: diagnosticSource,
          code: 'unknown-status',
          message: `Unknown status "${idea.status}" (known: ${this.statusesOf(document).join(', ')})`,
        });
      }
    }
    return diagnostics;
  }

  documentLinks(uri: string): DocumentLink[] {
    const document = this.documents.get(toPath(uri));
    if (!document) return [];
    return document.parsed.ideas.flatMap((idea) =>
      idea.locations
        .filter((location) => location.resolved && location.file !== undefined)
        .map((location) => ({
          range: this.range(document, location.range),
          target: `${toUri(path.join(document.root, location.file!))}#L${location.resolvedLine ?? 1}`,
          tooltip: `Open ${location.file}${location.resolvedLine ? `:${location.resolvedLine}` : ''}`,
        })),
    );
  }

  /** Status names when the cursor is in a Status cell. */
  completion(uri: string, position: Position): CompletionItem[] {
    const document = this.documents.get(toPath(uri));
    if (!document) return [];
    const offset = document.lines.starts[position.line]! + position.character;
    const idea = document.parsed.ideas.find((candidate) => candidate.kind === 'table-row' && candidate.line - 1 === position.line);
    if (!idea?.statusRange) return [];
    const cell = splitRow(document.text, document.lines.line(position.line)).find((candidate) => candidate.start <= offset && offset <= candidate.end);
    if (!cell || cell.content.start !== idea.statusRange.start) return [];
    return this.statusesOf(document).map((status, index) => ({
      label: status,
      kind: CompletionItemKind.EnumMember,
      sortText: String(index).padStart(3, '0'),
      textEdit: LspTextEdit.replace(this.range(document, cell.content), status),
    }));
  }

  /** Quick fixes: a known status for an unknown one; a file with the same name for a lost location. */
  codeActions(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
    const document = this.documents.get(toPath(uri));
    if (!document) return [];
    const actions: CodeAction[] = [];
    for (const diagnostic of diagnostics) {
      if (diagnostic.source !== diagnosticSource) continue;
      if (diagnostic.code === 'unknown-status') {
        for (const status of this.statusesOf(document)) {
          actions.push({
            title: `Set status to "${status}"`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            edit: { changes: { [uri]: [LspTextEdit.replace(diagnostic.range, status)] } },
          });
        }
      } else if (diagnostic.code === 'unresolved-location') {
        const start = document.lines.starts[diagnostic.range.start.line]! + diagnostic.range.start.character;
        const location = document.parsed.ideas.flatMap((idea) => idea.locations).find((candidate) => candidate.range.start === start);
        if (!location) continue;
        const base = location.path.split('/').pop()!;
        const files = this.filesByRoot.get(document.root) ?? [];
        for (const file of files.filter((candidate) => candidate.endsWith(`/${base}`) || candidate === base).slice(0, 5)) {
          const replacement = location.text.replace(location.path, file);
          actions.push({
            title: `Point to ${file}`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            edit: { changes: { [uri]: [LspTextEdit.replace(diagnostic.range, replacement)] } },
          });
        }
      }
    }
    return actions;
  }

  /** Ideas with a resolved location at (or right next to) a line of a file; `line` is 1-based. */
  ideasAt(file: string, line: number): { title: string; status?: string }[] {
    const found: { title: string; status?: string }[] = [];
    for (const document of this.documents.values()) {
      for (const idea of document.parsed.ideas) {
        const hit = idea.locations.some(
          (location) => location.resolved && location.file !== undefined && path.join(document.root, location.file) === file && Math.abs((location.resolvedLine ?? 0) - line) <= 1,
        );
        if (hit) found.push(idea.status === undefined ? { title: idea.title } : { title: idea.title, status: idea.status });
      }
    }
    return found;
  }

  /** Counts for the server status. */
  get counts(): { documents: number; ideas: number } {
    const documents = [...this.documents.values()].filter((document) => document.parsed.ideas.length);
    return { documents: documents.length, ideas: documents.reduce((sum, document) => sum + document.parsed.ideas.length, 0) };
  }

  private statusesOf(document: LoadedDocument): string[] {
    const all = [...document.parsed.legend, ...defaultStatuses, ...this.settingsOf(document.root).statuses, ...verdictStatuses];
    const seen = new Set<string>();
    return all.filter((status) => !seen.has(status.toLowerCase()) && seen.add(status.toLowerCase()));
  }

  private isIdeaDocument(root: string, relative: string): boolean {
    return relative.toLowerCase().endsWith('.md') && matchesAny(relative, this.settingsOf(root).documents);
  }

  private rootOf(file: string): string | undefined {
    return folderOf(file, this.folders.roots());
  }

  private load(file: string): void {
    const root = this.rootOf(file);
    if (!root) return;
    const text = currentText(this.source, file);
    if (text === undefined) {
      this.documents.delete(file);
      return;
    }
    const relative = path.relative(root, file).split(path.sep).join('/');
    const targets = mayStateTargets.test(text) ? parseTargets(text, relative) : [];
    this.documents.set(file, { root, relative, text, lines: new LineIndex(text), parsed: parseIdeas(text, relative), targets });
  }

  private resolve(): void {
    for (const document of this.documents.values()) {
      resolveLocations(document.parsed.ideas, {
        files: this.filesByRoot.get(document.root) ?? [],
        read: (relative) => currentText(this.source, path.join(document.root, relative)),
      });
    }
  }

  /** The document with the text the editor has now, so edits never overwrite unsaved changes. */
  private current(uri: string): LoadedDocument {
    const file = toPath(uri);
    const open = this.source.openText(uri);
    const loaded = this.documents.get(file);
    if (loaded && (open === undefined || open === loaded.text)) return loaded;
    this.load(file);
    const reloaded = this.documents.get(file);
    if (!reloaded) throw new Error(`${uri} is not an idea document of this workspace`);
    return reloaded;
  }

  private findIdea(uri: string, ideaId: string): { document: LoadedDocument; idea: Idea } {
    const document = this.current(uri);
    const idea = document.parsed.ideas.find((candidate) => candidate.id === ideaId);
    if (!idea) throw new Error(`${document.relative}: the idea ${ideaId} is no longer in the document`);
    return { document, idea };
  }

  private range(document: LoadedDocument, range: TextRange): Range {
    return Range.create(positionOf(document.lines, range.start), positionOf(document.lines, range.end));
  }

  private workspaceEdit(uri: string, document: LoadedDocument, edits: TextEdit[]): WorkspaceEdit {
    return { changes: { [uri]: edits.map((edit) => LspTextEdit.replace(this.range(document, edit.range), edit.newText)) } };
  }
}

function positionOf(lines: LineIndex, offset: number): Position {
  const line = lines.lineOf(offset);
  return Position.create(line, offset - lines.starts[line]!);
}
