/**
 * Folders Perf Lab writes large or local outputs into (profiles, callgrind counts, results,
 * worktrees) carry a `.gitignore` of `*` from their first write, so a recording never shows up
 * as 119 MB of untracked files in the user's repository.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Creates `folder` if needed and makes git ignore everything in it. Returns the folder. */
export function ignoredFolder(folder: string, what: string): string {
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, '.gitignore');
  if (!existsSync(file)) writeFileSync(file, `# Written by Perf Lab: ${what} stay local (delete this file to commit one).\n*\n`);
  return folder;
}
