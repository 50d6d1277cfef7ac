/**
 * The workspace folders and each one's Perf Lab settings. The resource-scoped settings (idea
 * documents and statuses, hot-path thresholds, the methodology, perfLab.commands) differ per
 * folder of a multi-root workspace, so they are pulled with each folder as scope, as vscode-eslint
 * does; the services ask for the settings of the folder a file is in.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import { CommandBenchmark, commandBenchmarks } from '../src/core/bench/tools';
import { methodologyDocument, workspaceThresholds } from '../src/core/experiments/methodology';
import type { Thresholds } from '../src/core/stats/verdict';

export function toPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function toUri(file: string): string {
  return pathToFileURL(file).toString();
}

/** The folder of `roots` that is or holds `file` (the innermost when folders nest), or undefined. */
export function folderOf(file: string, roots: readonly string[]): string | undefined {
  return roots.filter((root) => file === root || file.startsWith(root + path.sep)).sort((a, b) => b.length - a.length)[0];
}

/** The settings of one folder, as the services use them. */
export interface FolderSettings {
  /** perfLab.ideas.documents and .statuses. */
  ideas: { documents?: string[]; statuses?: string[] };
  /** perfLab.hotPaths.* (the prefix map is workspace-wide: see hotPathsPrefixMap). */
  hotPaths: { threshold?: number; metric?: 'self' | 'total'; diagnostics?: boolean };
  /** The verdict thresholds: the folder's methodology document, then perfLab.methodology over it. */
  thresholds: Partial<Thresholds>;
  /** The methodology document (an edit of it changes the thresholds). */
  methodologyPath: string;
  /** perfLab.commands, the valid entries. */
  commands: CommandBenchmark[];
  /** perfLab.targets: a target's name -> the benchmark or result that measures it. */
  targets: Record<string, string>;
}

const noSettings = (root: string): FolderSettings => ({ ideas: {}, hotPaths: {}, thresholds: {}, methodologyPath: methodologyDocument(root, undefined), commands: [], targets: {} });

export class WorkspaceFolders {
  private uris: string[] = [];
  private settings = new Map<string, FolderSettings>();

  /** The folders' URIs, as the client sent them. */
  get all(): readonly string[] {
    return this.uris;
  }

  set(uris: string[]): void {
    this.uris = [...uris];
  }

  change(added: string[], removed: string[]): void {
    const gone = new Set(removed);
    this.uris = [...this.uris.filter((uri) => !gone.has(uri)), ...added];
  }

  /** The folders on this machine's file system, as paths. */
  roots(): string[] {
    return this.uris.filter((uri) => uri.startsWith('file:')).map(toPath);
  }

  /** The settings of the folder that is or holds `file` (a path); the defaults outside every folder. */
  of(file: string): FolderSettings {
    const root = folderOf(file, this.roots());
    return (root !== undefined ? this.settings.get(root) : undefined) ?? noSettings(root ?? file);
  }

  /** Whether `file` is one folder's methodology document. */
  isMethodologyDocument(file: string): boolean {
    return [...this.settings.values()].some((settings) => settings.methodologyPath === file);
  }

  /**
   * Pulls every folder's settings from the client (nothing when it cannot answer
   * workspace/configuration: then the defaults hold). Problems in perfLab.commands go to `warn`.
   */
  async read(connection: Connection, canReadConfiguration: boolean, warn: (message: string) => void): Promise<void> {
    // Built aside and swapped in whole: requests answered meanwhile see the settings before, not none.
    const next = new Map<string, FolderSettings>();
    for (const root of this.roots()) {
      if (!canReadConfiguration) {
        next.set(root, { ...noSettings(root), thresholds: workspaceThresholds(root, undefined, {}).thresholds });
        continue;
      }
      const scopeUri = toUri(root);
      const [ideas, hotPaths, methodology, methodologyFile, commands, targets] = (await connection.workspace.getConfiguration(
        ['perfLab.ideas', 'perfLab.hotPaths', 'perfLab.methodology', 'perfLab.methodologyFile', 'perfLab.commands', 'perfLab.targets'].map((section) => ({ scopeUri, section })),
      )) as [FolderSettings['ideas'] | null, FolderSettings['hotPaths'] | null, Partial<Thresholds> | null, string | null, unknown, unknown];
      const declared = commandBenchmarks(commands);
      for (const problem of declared.problems) warn(`${root}: ${problem}`);
      next.set(root, {
        ideas: ideas ?? {},
        hotPaths: hotPaths ?? {},
        thresholds: workspaceThresholds(root, methodologyFile ?? undefined, methodology ?? {}).thresholds,
        methodologyPath: methodologyDocument(root, methodologyFile ?? undefined),
        commands: declared.commands,
        targets: targetMapping(targets, (problem) => warn(`${root}: ${problem}`)),
      });
    }
    this.settings = next;
  }
}

/** perfLab.profiles.prefixMap: one for the workspace (profiles are not per folder; Perf Lab writes it workspace-wide). */
export async function hotPathsPrefixMap(connection: Connection, canReadConfiguration: boolean): Promise<Record<string, string>> {
  if (!canReadConfiguration) return {};
  return ((await connection.workspace.getConfiguration('perfLab.profiles.prefixMap')) as Record<string, string> | null) ?? {};
}

/** perfLab.targets' valid entries (target name -> benchmark or result name); the rest reported. */
function targetMapping(setting: unknown, warn: (problem: string) => void): Record<string, string> {
  if (setting === null || setting === undefined) return {};
  if (typeof setting !== 'object' || Array.isArray(setting)) {
    warn('perfLab.targets must map target names to benchmark names');
    return {};
  }
  const mapping: Record<string, string> = {};
  for (const [name, benchmark] of Object.entries(setting)) {
    if (typeof benchmark === 'string' && benchmark) mapping[name] = benchmark;
    else warn(`perfLab.targets["${name}"] must be a benchmark or result name`);
  }
  return mapping;
}
