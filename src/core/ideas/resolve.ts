/**
 * Resolving idea locations to workspace files: by path suffix against the workspace's files,
 * then, for `file.rs:function`, by finding the function's definition in that file.
 */
import { Idea, IdeaLocation } from './model';

export interface WorkspaceFiles {
  /** Workspace-relative paths with "/" separators. */
  files: readonly string[];
  /** Reads a workspace-relative file, or undefined when it cannot. */
  read(file: string): string | undefined;
}

/** Files whose path ends with the location's path, shortest first. */
export function candidates(path: string, files: readonly string[]): string[] {
  const wanted = path.replace(/^\.?\//, '').replace(/\/$/, '');
  return files
    .filter((file) => file === wanted || file.endsWith(`/${wanted}`) || (path.endsWith('/') && (file.startsWith(`${wanted}/`) || file.includes(`/${wanted}/`))))
    .sort((a, b) => a.length - b.length || a.localeCompare(b));
}

/** The 1-based line where `symbol` is defined in a source text (Rust, C, C++, Go). */
export function findDefinition(source: string, symbol: string): number | undefined {
  const name = symbol.split('::').pop()!.replace(/[^\w]/g, '');
  if (!name) return undefined;
  const patterns = [
    new RegExp(`\\bfn\\s+${name}\\b`),
    new RegExp(`\\bfunc\\s+(\\([^)]*\\)\\s*)?${name}\\b`),
    new RegExp(`\\b(struct|enum|trait|impl|class|union|type)\\s+${name}\\b`),
    new RegExp(`^[\\w:<>,*&\\s]+?\\b${name}\\s*\\([^;]*$`),
  ];
  const lines = source.split('\n');
  for (const pattern of patterns) {
    const index = lines.findIndex((line) => pattern.test(line) && !/^\s*(\/\/|\*|#)/.test(line));
    if (index >= 0) return index + 1;
  }
  return undefined;
}

/** Fills in `file`, `resolvedLine` and `resolved` on every location of the ideas. */
export function resolveLocations(ideas: readonly Idea[], workspace: WorkspaceFiles): void {
  const cache = new Map<string, string[]>();
  for (const idea of ideas) {
    for (const location of idea.locations) resolveLocation(location, workspace, cache);
  }
}

function resolveLocation(location: IdeaLocation, workspace: WorkspaceFiles, cache: Map<string, string[]>): void {
  let found = cache.get(location.path);
  if (!found) cache.set(location.path, (found = candidates(location.path, workspace.files)));
  location.resolved = false;
  delete location.file;
  delete location.resolvedLine;
  if (found.length === 0) return;
  if (location.path.endsWith('/')) {
    location.file = location.path.replace(/\/$/, '');
    location.resolved = true;
    return;
  }
  if (location.symbol) {
    for (const file of found) {
      const source = workspace.read(file);
      const line = source === undefined ? undefined : findDefinition(source, location.symbol);
      if (line !== undefined) {
        Object.assign(location, { file, resolvedLine: line, resolved: true });
        return;
      }
    }
    return;
  }
  const file = found[0]!;
  const source = workspace.read(file);
  const lineCount = source === undefined ? Infinity : source.split('\n').length;
  location.file = file;
  if (location.line !== undefined && location.line > lineCount) return; // the line no longer exists
  location.resolvedLine = location.line ?? 1;
  location.resolved = true;
}
