import * as vscode from 'vscode';
import { formatBytes } from '../core/format';
import { LineHeat, LineHeatRequest, sourceLanguageIds } from '../protocol/lsp';
import { PerfLabLanguageServer } from './languageServer';
import { setting } from './settings';

const levels = 5;
const sourceLanguages = new Set<string>(sourceLanguageIds);

/**
 * Heat on source lines from the active profile: a coloured bar at the left of each sampled
 * line and a background whose intensity follows the chosen metric (theme colours
 * perfLab.heat.level1-5), the numbers at the end of hot lines, and a "stale" mark once the file
 * changed after the profile. The server computes the figures (`perfLab/lineHeat`).
 */
export class HeatDecorations implements vscode.Disposable {
  private readonly levelTypes: vscode.TextEditorDecorationType[];
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly server: PerfLabLanguageServer) {
    this.levelTypes = Array.from({ length: levels }, (_, i) => {
      const color = new vscode.ThemeColor(`perfLab.heat.level${i + 1}`);
      return vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: color,
        borderColor: color,
        borderStyle: 'solid',
        borderWidth: '0 0 0 4px',
        overviewRulerColor: color,
        overviewRulerLane: vscode.OverviewRulerLane.Right,
      });
    });
    this.disposables.push(
      ...this.levelTypes,
      vscode.window.onDidChangeVisibleTextEditors(() => this.schedule()),
      vscode.workspace.onDidSaveTextDocument(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (sourceLanguages.has(event.document.languageId)) this.schedule(500);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('perfLab.hotPaths')) this.schedule();
      }),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  schedule(delay = 50): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.paintAll(), delay);
  }

  /** Paints every visible source editor; returns the heat per editor (tests read it). */
  async paintAll(): Promise<Map<string, LineHeat[]>> {
    const painted = new Map<string, LineHeat[]>();
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme !== 'file' || !sourceLanguages.has(editor.document.languageId)) continue;
      painted.set(editor.document.uri.toString(), await this.paint(editor));
    }
    return painted;
  }

  private async paint(editor: vscode.TextEditor): Promise<LineHeat[]> {
    const file = editor.document.uri;
    if (!setting('hotPaths.decorations', file)) {
      this.levelTypes.forEach((type) => editor.setDecorations(type, []));
      return [];
    }
    let heat;
    try {
      heat = await this.server.request(LineHeatRequest.type, { uri: editor.document.uri.toString() });
    } catch {
      return [];
    }
    const metric = setting('hotPaths.metric', file);
    const threshold = setting('hotPaths.threshold', file);
    const value = (line: LineHeat) => (metric === 'self' ? line.selfPercent : line.totalPercent);
    const max = Math.max(0, ...heat.lines.map(value));
    const byLevel: vscode.DecorationOptions[][] = Array.from({ length: levels }, () => []);
    for (const line of heat.lines) {
      if (line.line >= editor.document.lineCount || value(line) <= 0) continue;
      // Intensity relative to the hottest line of this file, on a square-root scale so cool lines still show.
      const level = Math.min(levels - 1, Math.floor(Math.sqrt(value(line) / max) * levels));
      const hot = value(line) >= threshold;
      const text = `${figures(line, heat.sampleType)}${heat.stale ? ' (stale)' : ''}`;
      byLevel[level]!.push({
        range: new vscode.Range(line.line, 0, line.line, 0),
        hoverMessage: undefined,
        renderOptions: hot ? { after: { contentText: `  ${text}`, color: new vscode.ThemeColor(heat.stale ? 'disabledForeground' : 'perfLab.heat.text'), fontStyle: 'italic' } } : undefined,
      });
    }
    this.levelTypes.forEach((type, level) => editor.setDecorations(type, byLevel[level]!));
    return heat.lines;
  }
}

/**
 * A line's figures: its shares of the profile, or for a heap profile the bytes allocated there
 * ("12.4 MB at peak · 92.1%": the allocator and the standard library hold the self bytes).
 */
function figures(line: LineHeat, sampleType: string | undefined): string {
  const bytes = /^(.+) \(bytes\)$/.exec(sampleType ?? '');
  if (!bytes) return `${line.selfPercent.toFixed(1)}% self · ${line.totalPercent.toFixed(1)}% total`;
  const measure = bytes[1]!.replace(/^bytes /, '').replace(/ bytes$/, '');
  return `${formatBytes(line.total)} ${measure} · ${line.totalPercent.toFixed(1)}%`;
}
