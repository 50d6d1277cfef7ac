/**
 * A self-contained flame-graph HTML file (`perf-lab flame`, "Export Flame Graph"): the same
 * webview bundle and styles, inlined, with the tree as a JSON data block. The script is allowed
 * by its hash in a strict Content Security Policy; the data is escaped so no symbol name can
 * close the block (`</script>`) or become markup.
 */
import { createHash } from 'node:crypto';
import type { FlameNodeItem, FlameTreeResult } from './flameTree';
import { isHeapMeasure, Profile, sampleTypeLabel, totalWeight } from './model';
import { diffScale, matchingSampleType } from './diff';
import { timelineForChart } from './timeline';
import { FlameNode, pathOf, prunedTree, totalsByPath } from './views';

/** The flame tree the panel and exported files draw: pruned to `width` pixels. */
export function flameTreeResult(profile: Profile, id: string, title: string, options: { width: number; root?: number; sampleType?: number }): FlameTreeResult {
  const sampleType = options.sampleType !== undefined && options.sampleType >= 0 && options.sampleType < profile.sampleTypes.length ? options.sampleType : profile.defaultSampleType;
  return {
    profileId: id,
    title,
    sampleType: sampleTypeLabel(profile.sampleTypes[sampleType]!),
    sampleTypes: profile.sampleTypes.map(sampleTypeLabel),
    sampleTypeIndex: sampleType,
    total: totalWeight(profile, sampleType),
    tree: toItem(prunedTree(profile, { width: options.width, root: options.root ?? -1, minWidth: 1, maxDepth: maxFlameDepth, sampleType })),
    ...(profile.timeline ? { timeline: { ...timelineForChart(profile.timeline, Math.max(50, Math.floor(options.width / 2))), peakSampleType: profile.defaultSampleType } } : {}),
  };
}

/**
 * Gregg's differential flame graph: `after`'s tree (`result`, from flameTreeResult) coloured by
 * the change of each stack's weight against `before` in the same sample type, scaled by the
 * totals' ratio unless told not to (or a heap measure). `root` is the merged node the tree was zoomed into.
 */
export function addFlameDiff(result: FlameTreeResult, after: Profile, before: Profile, options: { baselineId: string; baselineTitle: string; normalize?: boolean; root?: number }): FlameTreeResult {
  const normalized = options.normalize ?? !isHeapMeasure(after, result.sampleTypeIndex);
  // The same measure on both sides: the baseline's sample type of the name the tree is weighed by.
  const beforeType = matchingSampleType(before, after, result.sampleTypeIndex);
  const totalBefore = totalWeight(before, beforeType);
  const scale = diffScale(totalBefore, totalWeight(after, result.sampleTypeIndex), normalized);
  const weights = totalsByPath(before, beforeType);
  const annotate = (item: FlameNodeItem, path: string) => {
    item.delta = item.value - (weights.get(path) ?? 0) * scale;
    for (const child of item.children) annotate(child, path ? `${path}\u0000${child.name}` : child.name);
  };
  const rootPath = options.root !== undefined && options.root >= 0 ? pathOf(after, options.root) : '';
  if (rootPath) annotate(result.tree, rootPath);
  else {
    result.tree.delta = totalWeight(after, result.sampleTypeIndex) - totalBefore * scale;
    for (const child of result.tree.children) annotate(child, child.name);
  }
  result.diff = { baselineId: options.baselineId, baselineTitle: options.baselineTitle, scale, normalized };
  return result;
}

/**
 * Levels sent to a flame graph at once: deeper stacks (recursion 10,000 deep) continue when
 * zoomed into, and JSON, the LSP connection and d3 never see nesting deep enough to overflow.
 */
export const maxFlameDepth = 1000;

/** Iterative: a recursive copy overflowed the stack on stacks deeper than about 2,000 frames. */
function toItem(top: FlameNode): FlameNodeItem {
  const convert = (node: FlameNode): FlameNodeItem => {
    const item: FlameNodeItem = { id: node.id, name: node.name, func: node.func, value: node.total, self: node.self, children: [] };
    if (node.hidden) item.hidden = node.hidden;
    return item;
  };
  const root = convert(top);
  const pending: [FlameNode, FlameNodeItem][] = [[top, root]];
  while (pending.length) {
    const [node, item] = pending.pop()!;
    for (const child of node.children) {
      const childItem = convert(child);
      item.children.push(childItem);
      pending.push([child, childItem]);
    }
  }
  return root;
}

export interface FlameHtmlParts {
  /** dist/webview/flame.js */
  script: string;
  /** Stylesheets, in order. */
  styles: string[];
  result: FlameTreeResult;
}

/** JSON that is safe inside an HTML element: "<", ">" and "&" become \\u escapes. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function flameGraphHtml(parts: FlameHtmlParts): string {
  // A script must not contain "</script" to stay inside its element.
  const script = parts.script.replace(/<\/script/gi, '<\\/script');
  const hash = createHash('sha256').update(script).digest('base64');
  const title = `Flame graph: ${parts.result.title}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeText(title)}</title>
<style>
:root { --vscode-foreground: #1f1f1f; --vscode-descriptionForeground: #616161; --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: ui-monospace, monospace; --vscode-editor-background: #ffffff; --vscode-input-background: #ffffff; --vscode-input-foreground: #1f1f1f; --vscode-input-border: #cecece; --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff; --vscode-focusBorder: #005fb8; --vscode-errorForeground: #f85149; }
${parts.styles.join('\n')}
</style>
</head>
<body>
<script type="application/json" id="perf-lab-flame-data">${jsonForHtml(parts.result)}</script>
<script>${script}</script>
</body>
</html>
`;
}
