import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  compareExperiment,
  createExperiment,
  experimentMarkdown,
  GitError,
  gitState,
  interleavedSchedule,
  prepareWorktree,
  rebasePath,
  resolveCommit,
  revisionChoices,
  snapshotWorkingTree,
  untrackedInputs,
} from '../../../src/core/experiments';

/** A real repository: a project folder (the "workspace") one level below the top, two commits. */
function repository(): { top: string; workspace: string; first: string; second: string } {
  const top = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'perf-lab-git-')));
  const run = (...args: string[]) => execFileSync('git', args, { cwd: top, encoding: 'utf8' }).trim();
  run('init', '--quiet', '--initial-branch=main');
  run('config', 'user.email', 'test@example.com');
  run('config', 'user.name', 'Perf Lab test');
  const workspace = path.join(top, 'project');
  mkdirSync(path.join(workspace, 'src'), { recursive: true });
  writeFileSync(path.join(top, '.gitignore'), 'project/inputs/\n');
  writeFileSync(path.join(workspace, 'src', 'lib.rs'), 'fn version() -> u32 { 1 }\n');
  run('add', '.');
  run('commit', '--quiet', '-m', 'first');
  const first = run('rev-parse', 'HEAD');
  writeFileSync(path.join(workspace, 'src', 'lib.rs'), 'fn version() -> u32 { 2 }\n');
  run('commit', '--quiet', '-am', 'second');
  run('tag', 'v2');
  const second = run('rev-parse', 'HEAD');
  // Generated data git does not track, and an uncommitted change.
  mkdirSync(path.join(workspace, 'inputs'));
  writeFileSync(path.join(workspace, 'inputs', 'heavy.log'), 'words words\n');
  writeFileSync(path.join(workspace, 'src', 'lib.rs'), 'fn version() -> u32 { 3 }\n');
  return { top, workspace, first, second };
}

describe('two revisions in git worktrees', () => {
  it('checks each revision out beside the workspace, moves the worktree on, and links shared inputs', () => {
    const { top, workspace, first, second } = repository();
    assert.equal(resolveCommit(workspace, 'HEAD~1'), first);
    assert.equal(resolveCommit(workspace, 'v2'), second);
    assert.throws(() => resolveCommit(workspace, 'no-such-branch'), GitError);
    assert.deepEqual(revisionChoices(workspace).sort(), ['main', 'v2']);

    const baseline = prepareWorktree(workspace, 'baseline', first, ['inputs']);
    assert.equal(baseline, path.join(workspace, '.perf-lab', 'worktrees', 'a', 'project'));
    assert.equal(prepareWorktree(workspace, 'candidate', second), path.join(workspace, '.perf-lab', 'worktrees', 'b', 'project'), 'paths of the same length on both sides');
    assert.equal(readFileSync(path.join(baseline, 'src', 'lib.rs'), 'utf8'), 'fn version() -> u32 { 1 }\n');
    assert.ok(lstatSync(path.join(baseline, 'inputs')).isSymbolicLink());
    assert.equal(readFileSync(path.join(baseline, 'inputs', 'heavy.log'), 'utf8'), 'words words\n');
    assert.deepEqual(gitState(baseline), { commit: first, dirty: false });

    // The same worktree moves to the next revision asked for (its build folders stay).
    writeFileSync(path.join(baseline, 'build-output.o'), 'kept');
    assert.equal(prepareWorktree(workspace, 'baseline', second, ['inputs']), baseline);
    assert.equal(readFileSync(path.join(baseline, 'src', 'lib.rs'), 'utf8'), 'fn version() -> u32 { 2 }\n');
    assert.ok(existsSync(path.join(baseline, 'build-output.o')));

    // The user's working tree and its status are untouched; Perf Lab's folder is ignored.
    assert.equal(readFileSync(path.join(workspace, 'src', 'lib.rs'), 'utf8'), 'fn version() -> u32 { 3 }\n');
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: top, encoding: 'utf8' });
    assert.equal(status.trim(), 'M project/src/lib.rs');
  });

  it('snapshots the working tree, new files included, without touching the index or the files', () => {
    const { top, workspace, second } = repository();
    writeFileSync(path.join(workspace, 'src', 'new.rs'), 'fn added() {}\n');
    execFileSync('git', ['add', 'project/src/lib.rs'], { cwd: top }); // something staged, to see it stays so
    const statusBefore = execFileSync('git', ['status', '--porcelain'], { cwd: top, encoding: 'utf8' });
    const snapshot = snapshotWorkingTree(workspace);
    assert.match(snapshot, /^[0-9a-f]{40}$/);
    assert.equal(execFileSync('git', ['rev-parse', `${snapshot}^`], { cwd: top, encoding: 'utf8' }).trim(), second);
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: top, encoding: 'utf8' }), statusBefore);
    const folder = prepareWorktree(workspace, 'candidate', snapshot, ['inputs']);
    assert.equal(readFileSync(path.join(folder, 'src', 'lib.rs'), 'utf8'), 'fn version() -> u32 { 3 }\n');
    assert.equal(readFileSync(path.join(folder, 'src', 'new.rs'), 'utf8'), 'fn added() {}\n');
    assert.ok(lstatSync(path.join(folder, 'inputs')).isSymbolicLink(), 'ignored inputs are linked, not copied into the snapshot');
  });

  it('recreates a worktree whose folder was deleted by hand', () => {
    const { workspace, first } = repository();
    const folder = prepareWorktree(workspace, 'candidate', first);
    execFileSync('rm', ['-rf', path.join(workspace, '.perf-lab', 'worktrees')]);
    assert.equal(prepareWorktree(workspace, 'candidate', first), folder);
    assert.equal(readFileSync(path.join(folder, 'src', 'lib.rs'), 'utf8'), 'fn version() -> u32 { 1 }\n');
  });

  it("names the folder and git's message when the workspace is not a repository", () => {
    const plain = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-plain-'));
    assert.throws(
      () => prepareWorktree(plain, 'baseline', 'HEAD'),
      (error: Error) => error instanceof GitError && error.message.includes(plain) && /not a git repository/i.test(error.message),
    );
  });

  it('names the inputs a worktree will lack (untracked or ignored), leaving out build outputs and shared paths', () => {
    const { workspace } = repository();
    mkdirSync(path.join(workspace, 'data'));
    writeFileSync(path.join(workspace, 'data', 'sample.csv'), '1,2\n');
    mkdirSync(path.join(workspace, 'target', 'release'), { recursive: true });
    writeFileSync(path.join(workspace, 'target', 'release', 'app'), '');
    assert.deepEqual(untrackedInputs(workspace, []), ['data', 'inputs']);
    assert.deepEqual(untrackedInputs(workspace, ['inputs']), ['data']);
    assert.deepEqual(untrackedInputs(os.tmpdir(), []), [], 'not a repository: nothing to say');
  });

  it('alternates baseline and candidate, one of each per round', () => {
    assert.deepEqual(interleavedSchedule(3), ['baseline', 'candidate', 'baseline', 'candidate', 'baseline', 'candidate']);
    assert.deepEqual(interleavedSchedule(0), ['baseline', 'candidate']);
  });

  it('maps workspace files into a worktree and refuses files outside the workspace', () => {
    assert.equal(rebasePath('/w/rust/benches/b.rs', '/w', '/w/.perf-lab/worktrees/baseline/w'), '/w/.perf-lab/worktrees/baseline/w/rust/benches/b.rs');
    assert.throws(() => rebasePath('/elsewhere/b.rs', '/w', '/root'), /outside the workspace/);
  });

  it('says in verdict.md which revisions were measured and how', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-exp-'));
    const benchmark = { uri: 'file:///w/benches/b.rs', kind: 'criterion', id: 'shard_of' };
    const revisions = { baseline: { ref: 'HEAD', commit: 'a'.repeat(40) }, candidate: { ref: 'working tree', commit: 'b'.repeat(40) }, rounds: 3 };
    const { experiment } = createExperiment(directory, { title: 'HEAD vs working tree', benchmark, revisions }, '');
    experiment.runs.push({ side: 'baseline', at: 'a', results: [{ name: 'shard_of', unit: 'ns', samples: [10, 11, 10, 12, 10, 11, 10, 11, 10, 11] }] });
    experiment.runs.push({ side: 'candidate', at: 'b', results: [{ name: 'shard_of', unit: 'ns', samples: [10, 11, 10, 12, 10, 11, 10, 11, 10, 11] }] });
    const markdown = experimentMarkdown(experiment, compareExperiment(experiment));
    assert.match(markdown, /Revisions: baseline `HEAD` \(aaaaaaaaaa\), candidate the working tree \(snapshot bbbbbbbbbb\), measured interleaved \(baseline, candidate, baseline, …\) in 3 rounds\./);
  });
});
