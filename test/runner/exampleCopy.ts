/**
 * A test's own copy of examples/native-core: tests that edit source, record experiments or write
 * results do it there, never in the tracked files (a tier that times out mid-change would leave
 * them changed for the next tier and for a user's `npm start`). The copy is a git repository of
 * its own holding the example's current files in one commit, so Compare Revisions and the tests'
 * git checks work in it; its build outputs are copied too, with their timestamps (cargo's
 * fingerprints are relative paths and mtimes: with new mtimes it rebuilds all 35 crates, ~2 min).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Ignored by git, made by the example's setup.sh: copied whole when present. */
const generated = ['.cargo', 'rust/Cargo.lock', 'rust/target', 'build', 'inputs'];

export function copyExample(example: string): string {
  // Not "/tmp/perf-...": perf takes every binary under a path starting so for a JIT map
  // (/tmp/perf-PID.map) and names none of its symbols.
  const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'example-copy-')), path.basename(example));
  mkdirSync(copy);
  // The example's files as they are in the working tree (tracked, and new ones not ignored).
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'], { cwd: example, encoding: 'utf8' });
  for (const file of listed.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(example, file))) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    cpSync(path.join(example, file), path.join(copy, file), { preserveTimestamps: true });
  }
  for (const entry of generated) {
    if (existsSync(path.join(example, entry))) cpSync(path.join(example, entry), path.join(copy, entry), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: copy, stdio: ['ignore', 'ignore', 'pipe'] });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git(
    '-c',
    'user.name=Perf Lab tests',
    '-c',
    'user.email=tests@perf-lab.invalid',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    'examples/native-core as the tests found it',
  );
  return copy;
}

export function removeExampleCopy(copy: string): void {
  rmSync(path.dirname(copy), { recursive: true, force: true });
}
