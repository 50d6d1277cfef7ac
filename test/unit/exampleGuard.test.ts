/**
 * The runner's promise that tests leave the tracked example as they found it: a tier that changes
 * it is reported as a failure and the change is put back; the VS Code tiers work on a copy.
 * Exercised on a scratch git repository shaped like this one.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExample, removeExampleCopy } from '../runner/exampleCopy';
import { runGuarded } from '../runner/exampleGuard';

function scratchRepo(): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-guard-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };
  write('examples/native-core/.gitignore', '/rust/target/\n/inputs/\n');
  write('examples/native-core/rust/src/lib.rs', 'fn slow() {}\n');
  write('examples/native-core/docs/ideas.md', '| Idea | Status |\n');
  write('README.md', 'outside the example\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '--quiet');
  git('add', '--all');
  git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '--quiet', '-m', 'scratch');
  write('examples/native-core/rust/target/release/app', 'built');
  utimesSync(path.join(repo, 'examples/native-core/rust/target/release/app'), new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
  write('examples/native-core/inputs/light.log', 'input');
  return repo;
}

describe('the test runner guards the tracked example', () => {
  let repo: string;
  const lib = () => path.join(repo, 'examples/native-core/rust/src/lib.rs');
  beforeEach(() => (repo = scratchRepo()));
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('reports a tier that modifies a tracked example file as a failure, and puts the file back', async () => {
    const counts = await runGuarded(repo, 'examples', async () => {
      writeFileSync(lib(), 'fn fast() {}\n');
      mkdirSync(path.join(repo, 'examples/native-core/docs/experiments/001-leftover'), { recursive: true });
      writeFileSync(path.join(repo, 'examples/native-core/docs/experiments/001-leftover/experiment.json'), '{}');
      return { passes: 12, failures: 0 };
    });
    assert.deepEqual(counts, {
      passes: 12,
      failures: 1,
      changed: ['examples/native-core/docs/experiments/001-leftover/experiment.json', 'examples/native-core/rust/src/lib.rs'],
    });
    assert.equal(readFileSync(lib(), 'utf8'), 'fn slow() {}\n');
    assert.ok(!existsSync(path.join(repo, 'examples/native-core/docs/experiments/001-leftover/experiment.json')));
    assert.equal(execFileSync('git', ['status', '--porcelain', '--', 'examples'], { cwd: repo, encoding: 'utf8' }), '');
  });

  it('passes a tier that changes only ignored build outputs, and counts its own failures', async () => {
    const counts = await runGuarded(repo, 'examples', async () => {
      writeFileSync(path.join(repo, 'examples/native-core/rust/target/release/app'), 'rebuilt');
      return { passes: 3, failures: 2 };
    });
    assert.deepEqual(counts, { passes: 3, failures: 2, changed: [] });
  });

  it("leaves a user's own uncommitted change alone, but still fails a tier that changes it again", async () => {
    writeFileSync(lib(), 'fn mine() {}\n');
    const untouched = await runGuarded(repo, 'examples', async () => ({ passes: 1, failures: 0 }));
    assert.equal(untouched.failures, 0);
    const touched = await runGuarded(repo, 'examples', async () => {
      writeFileSync(lib(), 'fn test_edit() {}\n');
      return { passes: 1, failures: 0 };
    });
    assert.deepEqual(touched.changed, ['examples/native-core/rust/src/lib.rs']);
    assert.equal(touched.failures, 1);
    assert.equal(readFileSync(lib(), 'utf8'), 'fn test_edit() {}\n', 'a file the user had changed is reported, not reverted');
  });

  it('gives the VS Code tiers a copy: its own git repository with the example and its build outputs', async () => {
    writeFileSync(lib(), 'fn uncommitted() {}\n');
    const copy = copyExample(path.join(repo, 'examples/native-core'));
    try {
      assert.equal(readFileSync(path.join(copy, 'rust/src/lib.rs'), 'utf8'), 'fn uncommitted() {}\n', 'the working tree as it is');
      assert.equal(readFileSync(path.join(copy, 'rust/target/release/app'), 'utf8'), 'built');
      // With the same timestamps, or cargo would rebuild everything in the copy.
      const built = path.join(repo, 'examples/native-core/rust/target/release/app');
      assert.equal(statSync(path.join(copy, 'rust/target/release/app')).mtimeMs, statSync(built).mtimeMs);
      assert.equal(readFileSync(path.join(copy, 'inputs/light.log'), 'utf8'), 'input');
      const git = (...args: string[]) => execFileSync('git', args, { cwd: copy, encoding: 'utf8' }).trim();
      assert.equal(git('rev-parse', '--show-toplevel'), copy);
      assert.equal(git('status', '--porcelain'), '');
      assert.equal(git('show', 'HEAD:rust/src/lib.rs'), 'fn uncommitted() {}');
      // Editing the copy leaves the example alone.
      writeFileSync(path.join(copy, 'rust/src/lib.rs'), 'fn fast() {}\n');
      assert.equal(readFileSync(lib(), 'utf8'), 'fn uncommitted() {}\n');
    } finally {
      removeExampleCopy(copy);
    }
    assert.ok(!existsSync(copy));
  });
});
