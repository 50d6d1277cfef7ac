/** Finding idea documents and source files in a workspace folder (Node file system, no `vscode`). */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

/** Where teams keep idea documents; configurable as `perfLab.ideas.documents`. */
export const defaultIdeaDocumentGlobs = ['**/*idea*.md', '**/*task*.md', '**/*optimi*.md', '**/perf/**/*.md', '**/*perf*.md'];

/** Folders never searched: build output, dependencies, VCS data. */
const ignoredFolders = new Set(['.git', 'node_modules', 'target', 'build', 'dist', 'out', '.perf-lab', '.cargo', '.vscode-test']);

/**
 * Whether a workspace-relative "/" path matches one of the globs, as VS Code's `findFiles` reads
 * them (`**`, `*`, `?`, `{a,b}`, `[ab]`; picomatch), ignoring case: `IDEAS.md` is an idea document too.
 */
export function matchesAny(file: string, globs: readonly string[]): boolean {
  return globMatcher(globs)(file);
}

const matchers = new Map<string, (file: string) => boolean>();
function globMatcher(globs: readonly string[]): (file: string) => boolean {
  const key = globs.join('\u0000');
  let matcher = matchers.get(key);
  if (!matcher) {
    matcher = picomatch([...globs], { nocase: true, dot: true });
    matchers.set(key, matcher);
  }
  return matcher;
}

/** Workspace-relative files ("/" separators) under `root`, at most `limit`, skipping build and dependency folders. */
export function listFiles(root: string, limit = 50_000): string[] {
  const files: string[] = [];
  const pending = [''];
  while (pending.length && files.length < limit) {
    const folder = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(path.join(root, folder), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!ignoredFolders.has(entry.name) && !entry.name.startsWith('.')) pending.push(relative);
      } else if (entry.isFile()) {
        files.push(relative);
        if (files.length >= limit) break;
      }
    }
  }
  return files.sort();
}
