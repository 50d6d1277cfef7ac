/**
 * The test runner's check that a tier left the tracked example as it found it: the git status of
 * everything under a folder (with a hash of each changed file) before and after, a failure when
 * they differ, and the tracked files the tier changed put back so the next tier and a user's
 * `npm start` see the example as committed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** path -> "XY <hash>" for each path git reports under the folder. */
export type TreeState = Map<string, string>;

export function treeState(repo: string, folder: string): TreeState {
  const status = execFileSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', folder], { cwd: repo, encoding: 'utf8' });
  const state: TreeState = new Map();
  const entries = status.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (!entry) continue;
    const code = entry.slice(0, 2);
    const file = entry.slice(3);
    if (code[0] === 'R' || code[0] === 'C') i++; // the rename's source path follows
    const absolute = path.join(repo, file);
    const hash = existsSync(absolute) && statSync(absolute).isFile() ? createHash('sha1').update(readFileSync(absolute)).digest('hex') : '-';
    state.set(file, `${code} ${hash}`);
  }
  return state;
}

/** The paths whose status or content differ between two states. */
export function changedPaths(before: TreeState, after: TreeState): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((file) => before.get(file) !== after.get(file)).sort();
}

export interface TierCounts {
  passes: number;
  failures: number;
}

export interface GuardedCounts extends TierCounts {
  /** What the tier changed under the folder (already put back where it was clean before). */
  changed: string[];
}

/**
 * Runs a tier and counts one more failure when it changed anything under `folder`. Files that
 * were clean before are restored (tracked ones checked out, new ones removed); files the user had
 * already changed are left alone and only reported.
 */
export async function runGuarded(repo: string, folder: string, run: () => Promise<TierCounts>): Promise<GuardedCounts> {
  const before = treeState(repo, folder);
  const counts = await run();
  const changed = changedPaths(before, treeState(repo, folder));
  for (const file of changed.filter((file) => !before.has(file))) {
    const tracked = execFileSync('git', ['ls-files', '--', file], { cwd: repo, encoding: 'utf8' }).trim() !== '';
    if (tracked) execFileSync('git', ['checkout', '--quiet', '--', file], { cwd: repo });
    else rmSync(path.join(repo, file), { force: true });
  }
  return { passes: counts.passes, failures: counts.failures + (changed.length ? 1 : 0), changed };
}
