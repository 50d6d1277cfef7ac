/** Finding idea documents and source files in a workspace folder (Node file system, no `vscode`). */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Where teams keep idea documents; configurable as `perfLab.ideas.documents`. */
export const defaultIdeaDocumentGlobs = ['**/*idea*.md', '**/*task*.md', '**/*optimi*.md', '**/perf/**/*.md', '**/*perf*.md'];

/** Folders never searched: build output, dependencies, VCS data. */
const ignoredFolders = new Set(['.git', 'node_modules', 'target', 'build', 'dist', 'out', '.perf-lab', '.cargo', '.vscode-test']);

/** A glob ("**" any folders, "*" within a name, "?" one character) as a regular expression on "/" paths. */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      pattern += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`, 'i');
}

export function matchesAny(file: string, globs: readonly string[]): boolean {
  return globs.some((glob) => globToRegExp(glob).test(file));
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
