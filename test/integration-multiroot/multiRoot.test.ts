/**
 * Perf Lab in a multi-root workspace (scripts/test.mjs opens notes/ first, the example second):
 * ideas of both folders, the example's benchmarks and its own perfLab.commands, and an
 * experiment on one of its benchmarks kept, built and checked in the example's folder.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Experiment } from '../../src/core/experiments';
import type { PerfLabApi } from '../../src/extension/extension';
import type { BenchmarkTarget } from '../../src/protocol/lsp';
import { waitFor } from '../integration/waitFor';

const folders = () => vscode.workspace.workspaceFolders ?? [];
const example = () => folders()[1]!.uri;

describe('Perf Lab in a workspace of two folders', () => {
  let api: PerfLabApi;
  const settings = () => vscode.workspace.getConfiguration('perfLab');

  before(async function () {
    this.timeout(60_000);
    assert.deepEqual(
      folders().map((folder) => folder.name),
      ['notes', 'native-core'],
    );
    api = await vscode.extensions.getExtension<PerfLabApi>('perf-lab.perf-lab')!.activate();
    await settings().update('benchmarks.criterionArgs', ['--warm-up-time', '1', '--measurement-time', '1', '--noplot'], vscode.ConfigurationTarget.Global);
    await settings().update('experiments.runsPerSide', 2, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await settings().update('benchmarks.criterionArgs', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('experiments.runsPerSide', undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists the ideas of both folders', async () => {
    const titles = await waitFor('ideas of both folders', () => {
      const all = api.ideas.allIdeas().map((entry) => entry.idea.title);
      return all.includes('Cache the parser (multi-root)') && all.includes('Count words in a HashMap instead of a linear search') ? all : undefined;
    });
    assert.ok(titles.length > 10, titles.join('\n'));
  });

  it("reads each folder's idea documents by its own settings", async () => {
    // notes/.vscode/settings.json adds plans/**/*.md and a status "Parked" for that folder only.
    const entries = await waitFor('the notes plan', () => {
      const all = api.ideas.allIdeas();
      return all.some((entry) => entry.idea.title === 'Batch the writes (notes plan)') ? all : undefined;
    });
    const plan = entries.find((entry) => entry.idea.title === 'Batch the writes (notes plan)')!;
    assert.ok(plan.document.statuses.includes('Parked'), plan.document.statuses.join(', '));
    const exampleDocument = entries.find((entry) => entry.document.uri.startsWith(example().toString()))!.document;
    assert.ok(!exampleDocument.statuses.includes('Parked'), "the notes folder's status is not the example's");
    // A known status: no "Unknown status" problem on the plan.
    const problems = vscode.languages.getDiagnostics(vscode.Uri.parse(plan.document.uri)).filter((diagnostic) => /Unknown status/.test(diagnostic.message));
    assert.deepEqual(
      problems.map((diagnostic) => diagnostic.message),
      [],
    );
  });

  it("lists the second folder's benchmarks and the perfLab.commands of its own settings", async () => {
    await api.benchmarks.reload();
    const files = await waitFor('the benchmarks', () => {
      const labels = api.benchmarks.getChildren().map((node) => String(api.benchmarks.getTreeItem(node).label));
      return labels.some((label) => label.includes('perfLab.commands')) ? labels : undefined;
    });
    assert.ok(files.includes('rust/wordfreq/benches/criterion_benches.rs'), files.join('\n'));
    // The example's .vscode/settings.json declares the wordfreq command: a folder setting, not the workspace's.
    assert.ok(files.includes('native-core: perfLab.commands (hyperfine)'), files.join('\n'));
  });

  it("offers the second folder's benchmarks as tasks of that folder, their files relative to it", async () => {
    const tasks = await waitFor('perf-lab tasks', async () => {
      const found = await vscode.tasks.fetchTasks({ type: 'perf-lab' });
      return found.some((task) => task.name === 'benchmark: shard_of') ? found : undefined;
    });
    const shard = tasks.find((task) => task.name === 'benchmark: shard_of')!;
    assert.equal((shard.scope as vscode.WorkspaceFolder).name, 'native-core');
    assert.equal(shard.definition.file, 'rust/wordfreq/benches/criterion_benches.rs');
    // Resolved in the example's crate, not the first folder's (where no such file exists).
    assert.equal((shard.execution as vscode.ShellExecution).options?.cwd, vscode.Uri.joinPath(example(), 'rust/wordfreq').fsPath);
  });

  it("runs an experiment on the second folder's benchmark in that folder, kept there", async function () {
    this.timeout(400_000);
    if (!existsSync(vscode.Uri.joinPath(example(), 'rust/target/release').fsPath)) this.skip();
    const benchmark: BenchmarkTarget = { uri: vscode.Uri.joinPath(example(), 'rust/wordfreq/benches/criterion_benches.rs').toString(), kind: 'criterion', id: 'shard_of' };
    const experimentFolder = await vscode.commands.executeCommand<string>('perfLab.newExperiment', undefined, { benchmark, title: 'Multi-root shard_of' });
    // perfLab.experiments.directory of the example's folder (the default), inside it.
    assert.equal(path.dirname(experimentFolder), path.join(example().fsPath, 'docs/perf/experiments'));
    try {
      assert.equal(await vscode.commands.executeCommand('perfLab.recordBaseline'), true);
      assert.equal(await vscode.commands.executeCommand('perfLab.runCandidate'), true);
      const runs = (JSON.parse(readFileSync(path.join(experimentFolder, 'experiment.json'), 'utf8')) as Experiment).runs;
      assert.deepEqual(
        runs.map((run) => run.side),
        ['baseline', 'baseline', 'candidate', 'candidate'],
      );
      // The example's own correctness command (`cd rust && cargo test …`) ran in its folder:
      // from notes/ it would fail (no rust/ there) and the verdict would be REJECT.
      assert.deepEqual(runs[2]!.correctness, { command: 'cd rust && cargo test --release --quiet -p wordfreq', exitCode: 0 });
      const comparison = await vscode.commands.executeCommand<{ verdict: string } | undefined>('perfLab.compareExperiment');
      assert.equal(comparison?.verdict, 'NOISY', 'two runs a side are fewer than the methodology asks');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.file(experimentFolder), { recursive: true });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
