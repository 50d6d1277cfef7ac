/** The thresholds that apply in a workspace: the defaults, then its methodology document, then the perfLab.methodology setting. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { methodologyThresholds, Thresholds } from '../stats';

export const defaultMethodologyFile = 'docs/perf/methodology.md';

export interface WorkspaceThresholds {
  thresholds: Partial<Thresholds>;
  /** "docs/perf/methodology.md (lines 12, 16, 27), then the perfLab.methodology setting", for reports. */
  source?: string;
}

/** The methodology document's absolute path (whether or not it exists). */
export function methodologyDocument(root: string, file = defaultMethodologyFile): string {
  return path.resolve(root, file);
}

export function workspaceThresholds(root: string, file = defaultMethodologyFile, overrides: Partial<Thresholds> = {}): WorkspaceThresholds {
  const document = methodologyDocument(root, file);
  let text = '';
  try {
    text = readFileSync(document, 'utf8');
  } catch {
    // No document: the defaults and the setting.
  }
  const found = methodologyThresholds(text);
  const lines = [...new Set(Object.values(found.lines))].sort((a, b) => a - b);
  const sources = [...(lines.length ? [`${file} (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})`] : []), ...(Object.keys(overrides).length ? ['the perfLab.methodology setting'] : [])];
  return { thresholds: { ...found.thresholds, ...overrides }, ...(sources.length ? { source: sources.join(', then ') } : {}) };
}
