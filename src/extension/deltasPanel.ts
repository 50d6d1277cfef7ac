import * as vscode from 'vscode';
import { ComparedRow, describeRevision, Experiment, ExperimentComparison, roundsRun } from '../core/experiments';
import type { DeltaRow, DeltasData, FromDeltasWebview, ToDeltasWebview } from '../protocol/webview';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The before/after panel of an experiment comparison (one panel, reused). */
export class DeltasPanel {
  private static current: DeltasPanel | undefined;
  private data: DeltasData;
  private markdown: string;
  private showDifferential: (() => void) | undefined;

  /** `showDifferential`, when both sides were profiled, backs the panel's differential flame graph button. */
  static show(extensionUri: vscode.Uri, data: DeltasData, markdown: string, showDifferential?: () => void): DeltasPanel {
    const shown = { ...data, differential: showDifferential !== undefined };
    if (DeltasPanel.current) {
      DeltasPanel.current.data = shown;
      DeltasPanel.current.markdown = markdown;
      DeltasPanel.current.showDifferential = showDifferential;
      DeltasPanel.current.panel.reveal(vscode.ViewColumn.Active);
      DeltasPanel.current.post();
      return DeltasPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('perfLab.deltas', `Before/After: ${data.experimentId}`, vscode.ViewColumn.Active, webviewOptions(extensionUri));
    DeltasPanel.current = new DeltasPanel(panel, extensionUri, shown, markdown);
    DeltasPanel.current.showDifferential = showDifferential;
    return DeltasPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    data: DeltasData,
    markdown: string,
  ) {
    this.data = data;
    this.markdown = markdown;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'perf-lab.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, { title: 'Before/After', script: ['dist', 'webview', 'deltas.js'], styles: [['media', 'deltas.css']] });
    panel.webview.onDidReceiveMessage(async (message: FromDeltasWebview) => {
      if (message.type === 'ready') this.post();
      else if (message.type === 'copyMarkdown') {
        await vscode.env.clipboard.writeText(this.markdown);
        // Said where the user clicked: the button reads "Copied" for a moment.
        void this.panel.webview.postMessage({ type: 'copied' } satisfies ToDeltasWebview);
      } else if (message.type === 'showDifferential') this.showDifferential?.();
    });
    panel.onDidDispose(() => {
      if (DeltasPanel.current === this) DeltasPanel.current = undefined;
    });
  }

  private post(): void {
    this.panel.title = `Before/After: ${this.data.experimentId}`;
    void this.panel.webview.postMessage({ type: 'comparison', data: this.data } satisfies ToDeltasWebview);
  }
}

/** What the before/after panel shows of an experiment's comparison. */
export function deltasData(experiment: Experiment, comparison: ExperimentComparison, basis: string | undefined): DeltasData {
  return {
    experimentId: experiment.id,
    title: experiment.title,
    ...(experiment.idea ? { idea: experiment.idea.title } : {}),
    verdict: comparison.verdict,
    ...(comparison.reason ? { reason: comparison.reason } : {}),
    geomeanDeltaPct: comparison.geomeanDeltaPct,
    ...(experiment.revisions
      ? { measured: `baseline ${describeRevision(experiment.revisions.baseline)}, candidate ${describeRevision(experiment.revisions.candidate)}, ${roundsRun(experiment)}`.replace(/`/g, '') }
      : {}),
    ...(basis ? { basis } : {}),
    rows: comparison.rows.map(deltaRow),
    ...(comparison.memory ? { memory: deltaRow(comparison.memory) } : {}),
    ...(comparison.decidedBy !== 'time' ? { decidedBy: comparison.decidedBy } : {}),
    ...(comparison.instructions.length
      ? {
          instructions: comparison.instructions.map(({ name, baseline, candidate, deltaPct, verdict, reason }) => ({ name, baseline, candidate, deltaPct, verdict, reason })),
        }
      : {}),
  };
}

/** One compared row as the panel draws it. */
function deltaRow(row: ComparedRow): DeltaRow {
  return {
    name: row.name,
    unit: row.unit,
    basis: row.basis,
    baseline: { median: row.baseline.median, n: row.baseline.n, cv: row.baseline.cv, values: row.values.baseline },
    candidate: { median: row.candidate.median, n: row.candidate.n, cv: row.candidate.cv, values: row.values.candidate },
    deltaPct: row.deltaPct,
    ci: row.ci,
    p: row.p,
    verdict: row.verdict,
    reason: row.reason,
  };
}
