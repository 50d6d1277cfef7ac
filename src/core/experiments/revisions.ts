/**
 * Two git revisions measured interleaved (A B A B …) so both sides see the same machine state.
 * Each side is checked out in a git worktree of its own, `<workspace>/.perf-lab/worktrees/a`
 * (baseline) and `…/b` (candidate); the working tree is measured from a snapshot commit of it.
 * Both sides are built the same way, at paths of the same length: paths end up in binaries
 * (panic messages, debug info), and nothing but the code should differ. The worktrees are kept and moved to the next revision asked for, so their
 * build folders (cargo's target/) are rebuilt incrementally. Inside the workspace, build tools
 * still find its ignored configuration up the tree (cargo's `.cargo/config.toml`). No `vscode` import.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ignoredFolder } from '../ignoredFolder';
import type { ExperimentRun } from './store';

export type Side = ExperimentRun['side'];

/** A side of a revisions experiment. */
export interface Revision {
  /** What the user chose: `HEAD`, a branch, a tag, a hash, or "working tree". */
  ref: string;
  /** The commit measured; for the working tree, the snapshot commit of it. */
  commit: string;
}

export const workingTree = 'working tree';

export class GitError extends Error {}

/** Runs git and returns its trimmed output; a failure says what git said. */
export function git(cwd: string, args: string[], env?: Record<string, string>): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new GitError(`git ${args.join(' ')} failed in ${cwd}${stderr ? `: ${stderr}` : ''}`);
  }
}

/** The commit a ref names, e.g. `HEAD~1` → its full hash. */
export function resolveCommit(cwd: string, ref: string): string {
  return git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
}

/**
 * A commit of the working tree as it is (tracked changes and new files git does not ignore),
 * made through a temporary index: the user's index, branch and files are not touched.
 */
export function snapshotWorkingTree(workspace: string): string {
  const top = git(workspace, ['rev-parse', '--show-toplevel']);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-index-'));
  const index = path.join(scratch, 'index');
  try {
    const own = path.resolve(top, git(top, ['rev-parse', '--git-path', 'index']));
    if (existsSync(own)) copyFileSync(own, index);
    const env = { GIT_INDEX_FILE: index };
    git(top, ['add', '--all'], env);
    const tree = git(top, ['write-tree'], env);
    return git(top, ['commit-tree', tree, '-p', 'HEAD', '-m', 'Perf Lab: snapshot of the working tree'], {
      GIT_AUTHOR_NAME: 'Perf Lab',
      GIT_AUTHOR_EMAIL: 'perf-lab@localhost',
      GIT_COMMITTER_NAME: 'Perf Lab',
      GIT_COMMITTER_EMAIL: 'perf-lab@localhost',
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Branches and tags, most recently committed first, for a picker. */
export function revisionChoices(cwd: string, limit = 30): string[] {
  try {
    return git(cwd, ['for-each-ref', '--sort=-committerdate', `--count=${limit}`, '--format=%(refname:short)', 'refs/heads', 'refs/tags'])
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Keeps Perf Lab's own folder (results, worktrees, profiles) out of the user's `git status`. */
export function ignorePerfLabFolder(workspace: string): void {
  ignoredFolder(path.join(workspace, '.perf-lab'), 'results, baselines, profiles and worktrees');
}

/** Build outputs and tool folders: a worktree makes its own, so their absence explains nothing. */
const buildOutput = /^(\.perf-lab|\.git|\.cargo|\.vscode|target|build|out|dist|node_modules)$/;

/**
 * Workspace-relative paths git does not track (untracked or ignored) that a worktree of a
 * revision will not have, unless perfLab.experiments.sharedPaths links them: generated inputs
 * and data, the usual reason a check passes here and fails there. Build outputs are left out.
 */
export function untrackedInputs(workspace: string, sharedPaths: readonly string[], limit = 5): string[] {
  let listing: string;
  let prefix: string;
  try {
    // Porcelain paths are relative to the repository's top: the workspace's own prefix goes.
    prefix = git(workspace, ['rev-parse', '--show-prefix']);
    listing = git(workspace, ['status', '--porcelain', '--ignored=matching', '--untracked-files=normal', '--', '.']);
  } catch {
    return [];
  }
  const shared = sharedPaths.map((entry) => entry.replace(/^\.\//, '').replace(/\/$/, ''));
  const found = new Set<string>();
  for (const line of listing.split('\n')) {
    if (!line.startsWith('?? ') && !line.startsWith('!! ')) continue;
    const quoted = line.slice(3).replace(/^"|"$/g, '');
    const entry = (quoted.startsWith(prefix) ? quoted.slice(prefix.length) : quoted).replace(/\/$/, '');
    if (entry.startsWith('../') || entry.split('/').some((part) => buildOutput.test(part))) continue;
    if (shared.some((link) => entry === link || entry.startsWith(`${link}/`))) continue;
    found.add(entry);
  }
  return [...found].sort().slice(0, limit);
}

/**
 * Checks `commit` out in the side's worktree (created on first use) and returns the folder that
 * corresponds to `workspace` inside it. `sharedPaths` (workspace-relative, e.g. generated inputs
 * git does not track) are linked into it from the workspace, so both sides read the same data.
 */
export function prepareWorktree(workspace: string, side: Side, commit: string, sharedPaths: readonly string[] = []): string {
  const top = realpathSync(git(workspace, ['rev-parse', '--show-toplevel']));
  const inside = path.relative(top, realpathSync(workspace));
  ignorePerfLabFolder(workspace);
  const worktree = path.join(workspace, '.perf-lab', 'worktrees', side === 'baseline' ? 'a' : 'b');
  if (existsSync(path.join(worktree, '.git'))) {
    git(worktree, ['checkout', '--quiet', '--detach', '--force', commit]);
  } else {
    // A worktree folder deleted by hand is still registered: forget it first.
    git(top, ['worktree', 'prune']);
    git(top, ['worktree', 'add', '--quiet', '--detach', '--force', worktree, commit]);
  }
  const folder = path.join(worktree, inside);
  for (const shared of sharedPaths) {
    const source = path.resolve(workspace, shared);
    const link = path.resolve(folder, shared);
    if (!existsSync(source) || !link.startsWith(folder + path.sep) || exists(link)) continue;
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(source, link);
  }
  return folder;
}

/** Whether a path exists, a dangling link included. */
function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The order of the runs: baseline and candidate alternating, one of each per round. */
export function interleavedSchedule(rounds: number): Side[] {
  return Array.from({ length: Math.max(1, Math.floor(rounds)) }, () => ['baseline', 'candidate'] as Side[]).flat();
}

/** How a revision reads in reports: "`HEAD` (1a2b3c4d5e)" or "the working tree (snapshot 1a2b3c4d5e)". */
export function describeRevision(revision: Revision): string {
  return revision.ref === workingTree ? `the working tree (snapshot ${revision.commit.slice(0, 10)})` : `\`${revision.ref}\` (${revision.commit.slice(0, 10)})`;
}

/** The path of `file` (inside `workspace`) in the folder `root` that mirrors the workspace. */
export function rebasePath(file: string, workspace: string, root: string): string {
  const relative = path.relative(workspace, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`${file} is outside the workspace ${workspace}`);
  return path.join(root, relative);
}
