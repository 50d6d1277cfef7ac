/**
 * The Targets view and its status bar item: every target the idea documents state (tables with a
 * Target or Critical column, `name: <100ms`, `450ms → <100ms`, alerting thresholds, baselines),
 * with the latest result of the benchmark that measures it and whether it is met, missed or
 * critical. "Record as Current" writes the measured value into the document as an edit.
 */
import * as vscode from 'vscode';
import { RecordTargetRequest, TargetItem, TargetsRequest } from '../protocol/lsp';
import { applyServerEdit } from './edits';
import { errorText, PerfLabLanguageServer } from './languageServer';

export type TargetNode = { kind: 'document'; path: string; uri: string; targets: TargetItem[] } | { kind: 'target'; target: TargetItem };

const icons: Record<TargetItem['status'], [string, string?]> = {
  met: ['pass', 'testing.iconPassed'],
  missed: ['warning', 'list.warningForeground'],
  critical: ['error', 'list.errorForeground'],
  unmeasured: ['circle-large-outline'],
  unlinked: ['debug-disconnect'],
  incomparable: ['question'],
};

export class TargetsView implements vscode.TreeDataProvider<TargetNode>, vscode.Disposable {
  private targets: TargetItem[] = [];
  private readonly changed = new vscode.EventEmitter<TargetNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly status = vscode.window.createStatusBarItem('perfLab.targets', vscode.StatusBarAlignment.Left, 49);
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly server: PerfLabLanguageServer) {
    this.status.name = 'Perf Lab Targets';
    this.status.command = 'perfLab.targets.focus';
    this.disposables = [
      vscode.window.registerTreeDataProvider('perfLab.targets', this),
      this.changed,
      this.status,
      // Documents and results both change where targets stand: the server says when.
      server.onIdeasChanged(() => void this.reload()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('perfLab.targets')) void this.reload();
      }),
    ];
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  async reload(): Promise<void> {
    try {
      this.targets = await this.server.request(TargetsRequest.type);
    } catch (error) {
      this.server.output.warn(`the Targets view could not be read: ${errorText(error)}`);
      return;
    }
    this.showStatus();
    this.changed.fire(undefined);
  }

  /** "🎯 2/5 met · 1 critical": only when some target is linked to a measurement. */
  private showStatus(): void {
    const measured = this.targets.filter((target) => target.status === 'met' || target.status === 'missed' || target.status === 'critical');
    if (!measured.length) {
      this.status.hide();
      return;
    }
    const count = (status: TargetItem['status']) => measured.filter((target) => target.status === status).length;
    const critical = count('critical');
    const missed = count('missed');
    this.status.text = `$(target) ${count('met')}/${measured.length} met${missed ? ` · ${missed} missed` : ''}${critical ? ` · ${critical} critical` : ''}`;
    this.status.tooltip = `Perf Lab: targets with a measurement\n${measured.map((target) => `${target.name}: ${target.summary}`).join('\n')}`;
    this.status.backgroundColor = critical ? new vscode.ThemeColor('statusBarItem.errorBackground') : missed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.status.show();
  }

  getChildren(node?: TargetNode): TargetNode[] {
    if (node?.kind === 'target') return [];
    if (node) return node.targets.map((target) => ({ kind: 'target', target }));
    const documents = new Map<string, TargetNode & { kind: 'document' }>();
    for (const target of this.targets) {
      let document = documents.get(target.uri);
      if (!document) documents.set(target.uri, (document = { kind: 'document', path: target.path, uri: target.uri, targets: [] }));
      document.targets.push(target);
    }
    return [...documents.values()];
  }

  getTreeItem(node: TargetNode): vscode.TreeItem {
    if (node.kind === 'document') {
      const item = new vscode.TreeItem(node.path, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.targets.length}`;
      item.resourceUri = vscode.Uri.parse(node.uri);
      item.iconPath = vscode.ThemeIcon.File;
      item.id = `targets:${node.uri}`;
      return item;
    }
    const { target } = node;
    const item = new vscode.TreeItem(target.name); // a label: text, never markup
    item.description = target.summary;
    const linked = target.linked
      ? `\nMeasured by ${target.linked.name} (${target.linked.by === 'mapping' ? 'perfLab.targets' : 'its name matches'})`
      : '\nNo benchmark measures it: name one in perfLab.targets';
    item.tooltip = `${target.name}: ${target.summary}${linked}\n${target.path}:${target.line + 1}`;
    const [icon, colour] = icons[target.status];
    item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    item.contextValue = target.recordable ? 'target.recordable' : 'target';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(target.uri), { selection: new vscode.Range(target.line, 0, target.line, 0) }] };
    item.id = `target:${target.uri}:${target.line}:${target.name}`;
    return item;
  }

  /** Writes a target's measured value over its Current figure, as an edit of the document (unsaved changes kept). */
  async recordAsCurrent(node: TargetNode | undefined): Promise<boolean> {
    const target = node?.kind === 'target' ? node.target : await this.pickRecordable();
    if (!target) return false;
    let edit;
    try {
      edit = await this.server.request(RecordTargetRequest.type, { uri: target.uri, line: target.line, name: target.name });
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: could not record ${target.name}: ${errorText(error)}`);
      return false;
    }
    return applyServerEdit(this.server, target.uri, edit);
  }

  private async pickRecordable(): Promise<TargetItem | undefined> {
    const recordable = this.targets.filter((target) => target.recordable);
    if (!recordable.length) {
      void vscode.window.showInformationMessage('Perf Lab: no target has a measured value and a Current figure to write it into. Run the benchmarks the targets are linked to first.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      recordable.map((target) => ({ label: target.name, description: `${target.measuredText} · ${target.summary}`, detail: target.path, target })),
      { title: 'Record which target’s measured value as its Current?' },
    );
    return picked?.target;
  }
}
