import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { flameGraphHtml } from '../core/profiles/flameHtml';
import { FlameTreeRequest, FunctionSourceRequest } from '../protocol/lsp';
import type { FlameTreeResult, FlameWebviewState, FromFlameWebview, ToFlameWebview } from '../protocol/webview';
import { errorText, PerfLabLanguageServer } from './languageServer';
import type { ProfilesView } from './profilesView';
import { webviewHtml, webviewOptions } from './webviewHtml';

const viewType = 'perfLab.flameGraph';

/**
 * The flame-graph panel: a webview with a strict CSP (nonce'd script, no inline code, resources
 * only from the extension's dist/webview and media folders). The language server prunes the
 * tree to the panel's width and sends the subtree on zoom, so a profile's size never reaches
 * the webview.
 */
export class FlamePanel implements vscode.Disposable {
  private static current: FlamePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private profileId: string | undefined;
  private compareTo: string | undefined;

  /** Shows a profile (default: the active one), or its differential view against `compareTo`. */
  static show(context: vscode.ExtensionContext, server: PerfLabLanguageServer, target: { profileId?: string; compareTo?: string } = {}): FlamePanel {
    if (FlamePanel.current) {
      FlamePanel.current.panel.reveal(vscode.ViewColumn.Active);
      // No profile named: the active one (it may have changed since the panel opened).
      FlamePanel.current.profileId = target.profileId;
      FlamePanel.current.compareTo = target.compareTo;
      void FlamePanel.current.load(undefined, FlamePanel.current.lastWidth);
      return FlamePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(viewType, 'Flame Graph', vscode.ViewColumn.Active, FlamePanel.options(context));
    FlamePanel.current = new FlamePanel(panel, context, server, target.profileId, undefined, target.compareTo);
    return FlamePanel.current;
  }

  /**
   * Restores panels after a window reload. The language server started afresh with the window,
   * so the profiles the panel showed (ids are their paths) are loaded again first, the baseline
   * of a differential view before the profile drawn, which ends up active as it was.
   */
  static registerSerializer(context: vscode.ExtensionContext, server: PerfLabLanguageServer, profiles: ProfilesView): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(viewType, {
      deserializeWebviewPanel: async (panel, state: FlameWebviewState | undefined) => {
        panel.webview.options = FlamePanel.options(context);
        const loaded = new Set(profiles.getChildren().map((profile) => profile.id));
        for (const id of [state?.compareTo, state?.profileId]) {
          if (id && !loaded.has(id) && path.isAbsolute(id) && existsSync(id)) await profiles.open(vscode.Uri.file(id));
        }
        FlamePanel.current?.dispose();
        FlamePanel.current = new FlamePanel(panel, context, server, state?.profileId, state?.root, state?.compareTo);
      },
    });
  }

  private static options(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return webviewOptions(context.extensionUri);
  }

  private lastWidth = 1000;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly server: PerfLabLanguageServer,
    profileId: string | undefined,
    private readonly restoredRoot?: number,
    compareTo?: string,
  ) {
    this.profileId = profileId;
    this.compareTo = compareTo;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'perf-lab.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: FromFlameWebview) => void this.receive(message)),
    );
  }

  /** Writes the flame graph shown (or the active profile's) as a self-contained HTML file. */
  static async export(context: vscode.ExtensionContext, server: PerfLabLanguageServer): Promise<vscode.Uri | undefined> {
    const profileId = FlamePanel.current?.profileId;
    let result: FlameTreeResult;
    try {
      result = await server.request(FlameTreeRequest.type, { width: 2400, ...(profileId ? { profileId } : {}) });
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
      return undefined;
    }
    const target = await vscode.window.showSaveDialog({
      title: 'Export Flame Graph',
      filters: { HTML: ['html'] },
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? context.extensionUri, `${result.title}.flame.html`),
    });
    if (!target) return undefined;
    const read = async (...segments: string[]) => Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, ...segments))).toString('utf8');
    const html = flameGraphHtml({
      script: await read('dist', 'webview', 'flame.js'),
      styles: [await read('dist', 'webview', 'flame.css'), await read('media', 'flame.css')],
      result,
    });
    await vscode.workspace.fs.writeFile(target, Buffer.from(html));
    const reveal = 'Reveal in Explorer';
    void vscode.window.showInformationMessage(`Perf Lab: flame graph written to ${vscode.workspace.asRelativePath(target)} (opens in any browser, offline).`, reveal).then((choice) => {
      if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', target);
    });
    return target;
  }

  /** The sample type chosen in the panel; the profile's default until then. */
  private sampleType: number | undefined;

  /** For tests: the last tree sent. */
  lastResult: FlameTreeResult | undefined;

  dispose(): void {
    if (FlamePanel.current === this) FlamePanel.current = undefined;
    this.disposables.forEach((disposable) => disposable.dispose());
    this.panel.dispose();
  }

  private async receive(message: FromFlameWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.load(this.restoredRoot, message.width);
        break;
      case 'zoom':
        await this.load(message.root, message.width);
        break;
      case 'reset':
        await this.load(undefined, message.width);
        break;
      case 'openSource':
        await this.openSource(message.func);
        break;
      case 'sampleType':
        this.sampleType = message.sampleType;
        await this.load(undefined, message.width);
        break;
    }
  }

  private async load(root: number | undefined, width: number): Promise<void> {
    this.lastWidth = width;
    try {
      const result = await this.server.request(FlameTreeRequest.type, {
        width,
        ...(this.profileId ? { profileId: this.profileId } : {}),
        ...(root !== undefined ? { root } : {}),
        ...(this.compareTo ? { compareTo: this.compareTo } : {}),
        ...(this.sampleType !== undefined ? { sampleType: this.sampleType } : {}),
      });
      this.profileId = result.profileId;
      this.lastResult = result;
      this.panel.title = result.diff ? `Flame Graph: ${result.diff.baselineTitle} → ${result.title}` : `Flame Graph: ${result.title}`;
      this.post({ type: 'tree', result, zoomed: root !== undefined && root >= 0 });
    } catch (error) {
      this.post({ type: 'error', message: errorText(error) });
    }
  }

  private async openSource(func: number): Promise<void> {
    if (!this.profileId) return;
    const where = await this.server.request(FunctionSourceRequest.type, { profileId: this.profileId, func });
    if (!where) {
      void vscode.window.showInformationMessage('Perf Lab: this frame has no source file in the workspace.');
      return;
    }
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(where.uri), { viewColumn: vscode.ViewColumn.Beside, preview: false });
    const position = new vscode.Position(where.line, 0);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }

  private post(message: ToFlameWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    return webviewHtml(this.panel.webview, this.context.extensionUri, {
      title: 'Flame Graph',
      script: ['dist', 'webview', 'flame.js'],
      styles: [
        ['dist', 'webview', 'flame.css'],
        ['media', 'flame.css'],
      ],
    });
  }
}
