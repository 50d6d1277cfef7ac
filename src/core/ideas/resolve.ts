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

/** Words that start a statement, never a function definition (`return f(a,` is a call). */
const statementStart = /^\s*(return|else|if|while|for|switch|case|do|goto|throw|co_return|co_await|new|delete|sizeof)\b/;

/**
 * The 1-based line where `symbol` is defined in a source text (Rust, C, C++, Go). With
 * `atOrAbove` (a line known to be inside the function, such as its lowest sampled line), the
 * nearest definition above it wins over an earlier one of the same name.
 */
export function findDefinition(source: string, symbol: string, atOrAbove?: number): number | undefined {
  const name = symbol.split('::').pop()!.replace(/[^\w]/g, '');
  if (!name) return undefined;
  const patterns = [
    new RegExp(`\\bfn\\s+${name}\\b`),
    new RegExp(`\\bfunc\\s+(\\([^)]*\\)\\s*)?${name}\\b`),
    new RegExp(`\\b(struct|enum|trait|impl|class|union|type)\\s+${name}\\b`),
    // C and C++: a declarator whose parameter list does not end in `;` on the line (statements
    // such as a multi-line `return f(a,` are left out above).
    new RegExp(`^[\\w:<>,*&\\s]+?\\b${name}\\s*\\([^;]*$`),
  ];
  const lines = source.split('\n');
  const acceptable = (line: string, pattern: RegExp) => pattern.test(line) && !/^\s*(\/\/|\*|#)/.test(line) && !statementStart.test(line);
  for (const pattern of patterns) {
    const found: number[] = [];
    lines.forEach((line, index) => {
      if (acceptable(line, pattern)) found.push(index + 1);
    });
    if (!found.length) continue;
    if (atOrAbove === undefined) return found[0];
    const above = found.filter((line) => line <= atOrAbove);
    return above.length ? above[above.length - 1] : found[0];
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
