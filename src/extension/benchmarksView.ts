import * as vscode from 'vscode';
import { benchTools } from '../core/bench/tools';
import { BenchmarkFileItem, BenchmarksRequest, BenchmarkTarget } from '../protocol/lsp';
import { errorText, PerfLabLanguageServer } from './languageServer';

export type BenchmarkNode = { kind: 'file'; file: BenchmarkFileItem } | { kind: 'benchmark'; file: BenchmarkFileItem; benchmark: BenchmarkFileItem['benchmarks'][number] };
type Node = BenchmarkNode;

/** The Benchmarks view: the benchmarks declared in the workspace, by file, with their last results. */
export class BenchmarksView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private files: BenchmarkFileItem[] = [];
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly server: PerfLabLanguageServer) {
    this.disposables = [
      vscode.window.registerTreeDataProvider('perfLab.benchmarks', this),
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('perfLab.commands')) void this.reload();
      }),
    ];
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  async reload(): Promise<void> {
    try {
      this.files = await this.server.request(BenchmarksRequest.type);
    } catch (error) {
      this.server.output.warn(`the Benchmarks view could not be read: ${errorText(error)}`);
      return;
    }
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.files.map((file) => ({ kind: 'file', file }));
    if (node.kind === 'file') return node.file.benchmarks.map((benchmark) => ({ kind: 'benchmark', file: node.file, benchmark }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.file.path, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.file.benchmarks.length}`;
      item.resourceUri = vscode.Uri.parse(node.file.uri);
      item.iconPath = vscode.ThemeIcon.File;
      item.id = `file:${node.file.uri}`;
      return item;
    }
    const { benchmark } = node;
    const item = new vscode.TreeItem(benchmark.group ? `${benchmark.id}/*` : benchmark.id);
    item.description = benchmark.lastResult ?? benchTools[benchmark.kind].label;
    item.tooltip = `${benchTools[benchmark.kind].label} benchmark ${benchmark.id}${benchmark.lastResult ? `\nLast run: ${benchmark.lastResult}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(benchmark.lastResult ? 'pass' : 'dashboard');
    item.contextValue = 'benchmark';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(node.file.uri), { selection: new vscode.Range(benchmark.line, 0, benchmark.line, 0) }] };
    item.id = `benchmark:${node.file.uri}:${benchmark.kind}:${benchmark.id}`;
    return item;
  }

  /** The run target of a tree node (context menu actions). */
  static target(node: Node): BenchmarkTarget | undefined {
    if (node.kind !== 'benchmark') return undefined;
    const { uri, kind, id, group } = node.benchmark;
    return { uri, kind, id, ...(group ? { group } : {}) };
  }
}
