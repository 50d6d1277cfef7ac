import * as vscode from 'vscode';
import { isFinished } from '../core/ideas/model';
import { IdeaDocumentItem, IdeaEditRequest, IdeaItem, IdeasRequest, NewIdeaRequest } from '../protocol/lsp';
import { applyServerEdit } from './edits';
import { errorText, PerfLabLanguageServer } from './languageServer';

type GroupBy = 'document' | 'status';

interface DocumentNode {
  kind: 'document';
  document: IdeaDocumentItem;
  ideas: IdeaItem[];
}
interface GroupNode {
  kind: 'group';
  label: string;
  /** For status groups, the document does not apply. */
  document?: IdeaDocumentItem;
  entries: IdeaNode[];
}
export interface IdeaNode {
  kind: 'idea';
  document: IdeaDocumentItem;
  idea: IdeaItem;
}
type Node = DocumentNode | GroupNode | IdeaNode;

const statusIcons: [RegExp, string, string?][] = [
  [/^(done|keep)\b/i, 'pass-filled', 'testing.iconPassed'],
  [/^(discard|reject|kill)/i, 'circle-slash', 'disabledForeground'],
  [/^in progress/i, 'play-circle', 'charts.blue'],
  [/^review/i, 'eye', 'charts.purple'],
  [/^benches/i, 'dashboard', 'charts.orange'],
  [/^(maybe|noisy)/i, 'question', 'charts.yellow'],
];

function statusIcon(status: string | undefined): vscode.ThemeIcon {
  for (const [pattern, icon, color] of statusIcons) {
    if (status && pattern.test(status)) return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  }
  return new vscode.ThemeIcon('circle-large-outline');
}

/** Sections below the document's own title. */
function sectionLabel(document: IdeaDocumentItem, idea: IdeaItem): string {
  const section = idea.section[0] === document.title ? idea.section.slice(1) : idea.section;
  return section.length ? section.join(' › ') : '(top)';
}

/**
 * The Ideas view: every idea of the workspace's idea documents, from the language server,
 * grouped by document and section or by status, with a filter, and edits that go through
 * WorkspaceEdits (unsaved changes respected, undo works).
 */
export class IdeasView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private documents: IdeaDocumentItem[] = [];
  private groupBy: GroupBy = 'document';
  private filter = '';
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly server: PerfLabLanguageServer) {
    this.view = vscode.window.createTreeView('perfLab.ideas', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      server.onIdeasChanged(() => void this.reload()),
    );
    void vscode.commands.executeCommand('setContext', 'perfLab.ideasGroupBy', this.groupBy);
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  async reload(): Promise<void> {
    try {
      this.documents = await this.server.request(IdeasRequest.type);
    } catch (error) {
      // A restarting server answers again when it is back (and sends ideasChanged then); a
      // server that failed is said in the view and the output, not swallowed.
      this.server.output.warn(`the Ideas view could not be read: ${errorText(error)}`);
      this.view.message = `The Perf Lab language server did not answer (${errorText(error)}).`;
      return;
    }
    const total = this.documents.reduce((sum, document) => sum + document.ideas.length, 0);
    const done = this.documents.reduce((sum, document) => sum + document.ideas.filter((idea) => isFinished(idea.status)).length, 0);
    this.view.description = total ? `${done}/${total} done` : undefined;
    this.view.message = this.filter ? `Filtered by "${this.filter}"` : undefined;
    this.changed.fire(undefined);
  }

  /** All ideas with their documents (for pickers and tests). */
  allIdeas(): IdeaNode[] {
    return this.documents.flatMap((document) => document.ideas.map((idea) => ({ kind: 'idea' as const, document, idea })));
  }

  setGroupBy(groupBy: GroupBy): void {
    this.groupBy = groupBy;
    void vscode.commands.executeCommand('setContext', 'perfLab.ideasGroupBy', groupBy);
    this.changed.fire(undefined);
  }

  setFilter(filter: string): void {
    this.filter = filter.trim();
    void vscode.commands.executeCommand('setContext', 'perfLab.ideasFiltered', this.filter !== '');
    this.view.message = this.filter ? `Filtered by "${this.filter}"` : undefined;
    this.changed.fire(undefined);
  }

  get currentFilter(): string {
    return this.filter;
  }

  private matches(document: IdeaDocumentItem, idea: IdeaItem): boolean {
    if (!this.filter) return true;
    const needle = this.filter.toLowerCase();
    return [idea.title, idea.status ?? '', idea.impact ?? '', idea.notes ?? '', document.path, ...idea.section].some((text) => text.toLowerCase().includes(needle));
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      if (this.groupBy === 'status') {
        const groups = new Map<string, IdeaNode[]>();
        for (const entry of this.allIdeas()) {
          if (!this.matches(entry.document, entry.idea)) continue;
          const status = entry.idea.status ?? 'No status';
          groups.set(status, [...(groups.get(status) ?? []), entry]);
        }
        return [...groups].map(([label, entries]) => ({ kind: 'group', label, entries }));
      }
      return this.documents
        .map((document) => ({ kind: 'document' as const, document, ideas: document.ideas.filter((idea) => this.matches(document, idea)) }))
        .filter((entry) => entry.ideas.length > 0);
    }
    if (node.kind === 'document') {
      const sections = new Map<string, IdeaNode[]>();
      for (const idea of node.ideas) {
        const label = sectionLabel(node.document, idea);
        sections.set(label, [...(sections.get(label) ?? []), { kind: 'idea', document: node.document, idea }]);
      }
      return [...sections].map(([label, entries]) => ({ kind: 'group', label, document: node.document, entries }));
    }
    if (node.kind === 'group') return node.entries;
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'document') {
      const done = node.ideas.filter((idea) => isFinished(idea.status)).length;
      const item = new vscode.TreeItem(node.document.title, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${done}/${node.ideas.length} done`;
      item.tooltip = `${node.document.path}\n${node.ideas.length} ideas, ${done} done or discarded`;
      item.iconPath = new vscode.ThemeIcon('book');
      item.resourceUri = vscode.Uri.parse(node.document.uri);
      item.contextValue = 'ideaDocument';
      item.id = `document:${node.document.uri}`;
      return item;
    }
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = String(node.entries.length);
      item.iconPath = node.document ? new vscode.ThemeIcon('list-tree') : statusIcon(node.label);
      item.contextValue = 'ideaGroup';
      item.id = `group:${this.groupBy}:${node.document?.uri ?? ''}:${node.label}`;
      return item;
    }
    const { idea, document } = node;
    const item = new vscode.TreeItem(idea.title, vscode.TreeItemCollapsibleState.None);
    // A table with no Status column has no status to show: not "No status", which reads as unset.
    item.description = [idea.noStatusColumn ? undefined : (idea.status ?? 'No status'), idea.impact].filter(Boolean).join(' · ');
    // A plain-text tooltip: titles and notes come from the user's documents and are never rendered as markup.
    item.tooltip = [
      idea.title,
      `${idea.noStatusColumn ? 'Its table has no Status column' : (idea.status ?? 'No status')} · ${document.path}:${idea.line + 1}`,
      idea.section.join(' › '),
      idea.impact ? `Impact: ${idea.impact}` : '',
      idea.measured ? `Measured: ${idea.measured}` : '',
      ...idea.locations.map((location) => `${location.resolved ? '→' : '✗'} ${location.text}${location.resolved ? '' : ' (not found)'}`),
    ]
      .filter(Boolean)
      .join('\n');
    item.iconPath = statusIcon(idea.status);
    item.command = { command: 'perfLab.ideas.open', title: 'Open Idea', arguments: [node] };
    item.contextValue = idea.locations.some((location) => location.resolved) ? 'idea.located' : 'idea';
    item.id = `idea:${this.groupBy}:${idea.id}`;
    return item;
  }

  /** Opens the idea's line in its document. */
  async open(target: IdeaNode | { uri: string; line: number }): Promise<void> {
    const uri = 'document' in target ? target.document.uri : target.uri;
    const line = 'idea' in target ? target.idea.line : target.line;
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { preview: false });
    const position = new vscode.Position(line, 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  async goToLocation(node?: IdeaNode): Promise<void> {
    const entry = node ?? (await this.pickIdea('Go to the code of which idea?', (candidate) => candidate.idea.locations.some((l) => l.resolved)));
    if (!entry) return;
    const resolved = entry.idea.locations.filter((location) => location.resolved && location.uri);
    if (resolved.length === 0) {
      const lost = entry.idea.locations.map((location) => location.text).join(', ');
      void vscode.window.showWarningMessage(lost ? `"${entry.idea.title}": ${lost} not found in the workspace.` : `"${entry.idea.title}" names no code location.`);
      return;
    }
    const location =
      resolved.length === 1
        ? resolved[0]!
        : (
            await vscode.window.showQuickPick(
              resolved.map((l) => ({ label: l.text, location: l })),
              { title: entry.idea.title },
            )
          )?.location;
    if (!location) return;
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(location.uri!), { preview: false });
    const position = new vscode.Position(location.line ?? 0, 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }

  /**
   * Asks for a status (or takes the given one) and changes exactly that cell or checkbox. A table
   * without a Status column gets one only with the user's consent (`addColumn` when already given).
   */
  async setStatus(node?: IdeaNode, status?: string, addColumn?: boolean): Promise<boolean> {
    const entry = node ?? (await this.pickIdea('Set the status of which idea?'));
    if (!entry) return false;
    const columnAgreed = addColumn ?? (entry.idea.noStatusColumn ? await this.agreeToAddColumns(entry, ['Status']) : false);
    if (entry.idea.noStatusColumn && !columnAgreed) return false;
    const chosen =
      status ??
      (
        await vscode.window.showQuickPick(
          entry.document.statuses.map((label) => ({ label, description: label === entry.idea.status ? 'current' : undefined })),
          { title: `Status of "${entry.idea.title}"`, placeHolder: entry.idea.status ?? 'No status' },
        )
      )?.label;
    if (!chosen) return false;
    return this.applyIdeaEdit(entry, { status: chosen, addColumn: columnAgreed });
  }

  async recordMeasured(node?: IdeaNode, measured?: string, addColumn?: boolean): Promise<boolean> {
    const entry = node ?? (await this.pickIdea('Record a measured result for which idea?'));
    if (!entry) return false;
    const columnAgreed = addColumn ?? (entry.idea.noMeasuredColumn ? await this.agreeToAddColumns(entry, ['Measured']) : false);
    if (entry.idea.noMeasuredColumn && !columnAgreed) return false;
    const value =
      measured ??
      (await vscode.window.showInputBox({
        title: `Measured result of "${entry.idea.title}"`,
        prompt: 'For example: -12.4% median (95% CI -14.0..-10.9%, p=0.002, n=20)',
        value: entry.idea.measured ?? '',
      }));
    if (value === undefined) return false;
    return this.applyIdeaEdit(entry, { measured: value, addColumn: columnAgreed });
  }

  /** The columns an idea's table lacks for a status and a measured result. */
  missingColumns(entry: IdeaNode, changes: readonly ('status' | 'measured')[]): string[] {
    return changes.flatMap((change) => (change === 'status' ? (entry.idea.noStatusColumn ? ['Status'] : []) : entry.idea.noMeasuredColumn ? ['Measured'] : []));
  }

  /** Asks before adding columns to a user's table; true when the user agreed. */
  async agreeToAddColumns(entry: IdeaNode, columns: string[]): Promise<boolean> {
    const names = columns.join(' and ');
    const action = columns.length > 1 ? 'Add the Columns' : `Add a ${names} Column`;
    const answer = await vscode.window.showWarningMessage(
      `The table of "${entry.idea.title}" (${entry.document.path}:${entry.idea.line + 1}) has no ${names} column.`,
      {
        modal: true,
        detail: `Perf Lab can add ${columns.length > 1 ? 'them' : 'it'} at the end of that table, empty in the other rows: one edit, which Undo takes back.`,
      },
      action,
    );
    return answer === action;
  }

  async copyMarkdown(node?: IdeaNode): Promise<void> {
    const entry = node ?? (await this.pickIdea('Copy which idea?'));
    if (!entry) return;
    await vscode.env.clipboard.writeText(entry.idea.markdown);
    void vscode.window.showInformationMessage(`Perf Lab: "${entry.idea.title}" copied as Markdown.`);
  }

  async newIdea(): Promise<void> {
    if (!this.documents.length) {
      void vscode.window.showInformationMessage('No idea document found. Perf Lab reads documents matching perfLab.ideas.documents.');
      return;
    }
    const document =
      this.documents.length === 1
        ? this.documents[0]!
        : (
            await vscode.window.showQuickPick(
              this.documents.map((d) => ({ label: d.title, description: d.path, document: d })),
              { title: 'New idea in which document?' },
            )
          )?.document;
    if (!document) return;
    const sections = [...new Map(document.ideas.map((idea) => [idea.section.join('\u0000'), idea.section])).values()];
    const section = (
      await vscode.window.showQuickPick(
        sections.map((s) => ({ label: s[s.length - 1] ?? '(top)', description: s.slice(0, -1).join(' › '), section: s })),
        { title: 'In which section?' },
      )
    )?.section;
    if (!section) return;
    const title = await vscode.window.showInputBox({ title: 'New idea', prompt: 'A short title', validateInput: (value) => (value.trim() ? undefined : 'The idea needs a title') });
    if (!title) return;
    let edit;
    try {
      edit = await this.server.request(NewIdeaRequest.type, { uri: document.uri, section, title });
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
      return;
    }
    if (await applyServerEdit(this.server, document.uri, edit)) await this.reload();
  }

  private async applyIdeaEdit(entry: IdeaNode, change: { status?: string; measured?: string; addColumn?: boolean }): Promise<boolean> {
    let edit;
    try {
      edit = await this.server.request(IdeaEditRequest.type, { uri: entry.document.uri, ideaId: entry.idea.id, ...change });
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
      return false;
    }
    return applyServerEdit(this.server, entry.document.uri, edit);
  }

  private async pickIdea(title: string, accept: (entry: IdeaNode) => boolean = () => true): Promise<IdeaNode | undefined> {
    const items = this.allIdeas()
      .filter(accept)
      .map((entry) => ({ label: entry.idea.title, description: entry.idea.status ?? 'No status', detail: `${entry.document.path}:${entry.idea.line + 1}`, entry }));
    return (await vscode.window.showQuickPick(items, { title, matchOnDetail: true }))?.entry;
  }
}
