import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { PerfLabApi } from '../../src/extension/extension';
import type { FlamePanel } from '../../src/extension/flamePanel';
import { waitFor } from './waitFor';

const folder = () => vscode.workspace.workspaceFolders![0]!.uri;

/** Whether a process whose command line is exactly `command` runs. */
function running(command: string): boolean {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').some((line) => line.trim() === command);
}

describe('Hot paths from a real perf recording', () => {
  let api: PerfLabApi;
  const lib = () => vscode.Uri.joinPath(folder(), 'rust/wordfreq/src/lib.rs');
  let shardOfLine = 0;

  before(async function () {
    api = await vscode.extensions.getExtension<PerfLabApi>('perf-lab.perf-lab')!.activate();
    if (!existsSync(vscode.Uri.joinPath(folder(), 'rust/target/release/wordfreq').fsPath)) this.skip();
    const text = Buffer.from(await vscode.workspace.fs.readFile(lib())).toString('utf8');
    shardOfLine = text.split('\n').findIndex((line) => line.includes('pub fn shard_of'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('records a profile of a command with perf as a task and makes it active', async () => {
    const recorded = await vscode.commands.executeCommand<boolean>('perfLab.profileCommand', {
      command: 'rust/target/release/wordfreq inputs/heavy.log',
      profiler: 'perf',
    });
    assert.equal(recorded, true);
    const active = await waitFor('the active profile', () => api.profiles.active);
    assert.equal(active.format, 'perf-script');
    assert.ok(active.samples > 50, `${active.samples} samples`);
    // Saved in the active experiment's folder (an earlier suite left one active), else .perf-lab/profiles.
    const expected = api.experiments.profilesFolder ?? vscode.Uri.joinPath(folder(), '.perf-lab/profiles').fsPath;
    assert.ok(active.path.startsWith(`${expected}/`) && active.path.endsWith('.perf.txt'), `${active.path} is not in ${expected}`);
  });

  it('puts a CodeLens with its percentages above the hottest function', async () => {
    await vscode.window.showTextDocument(lib());
    const lens = await waitFor('the hot-path CodeLens on shard_of', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', lib());
      return lenses.find((candidate) => candidate.command?.title.startsWith('🔥') && candidate.range.start.line === shardOfLine);
    });
    const [, self, total] = /^🔥 wordfreq::shard_of · ([\d.]+)% self · ([\d.]+)% total · flame graph$/.exec(lens.command!.title) ?? [];
    assert.ok(Number(total) >= 20, lens.command!.title);
    assert.ok(Number(self) <= Number(total));
  });

  it('paints heat on the sampled lines and explains a line on hover', async () => {
    const heat = await waitFor('heat on lib.rs', async () => {
      const painted = await api.heat.paintAll();
      const lines = painted.get(lib().toString());
      return lines?.length ? lines : undefined;
    });
    assert.ok(heat.some((line) => line.line > shardOfLine && line.line < shardOfLine + 6 && line.totalPercent > 5), JSON.stringify(heat.slice(0, 5)));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', lib(), new vscode.Position(shardOfLine + 2, 8));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /wordfreq::shard\\_of\*\*: [\d.]+% self/);
    assert.match(text, /Called from: wordfreq::analyze/);
    assert.match(text, /💡 Hash the shard salt once/);
  });

  it('reports hot lines as Information diagnostics when asked to (off by default)', async () => {
    const hotLines = () => vscode.languages.getDiagnostics(lib()).filter((d) => d.code === 'hot-line');
    assert.deepEqual(hotLines(), []);
    const settings = vscode.workspace.getConfiguration('perfLab.hotPaths');
    await settings.update('diagnostics', true, vscode.ConfigurationTarget.Global);
    try {
      const found = await waitFor('hot-line diagnostics', () => (hotLines().length ? hotLines() : undefined), 20_000);
      assert.ok(found.every((d) => d.severity === vscode.DiagnosticSeverity.Information));
      assert.ok(found.some((d) => d.range.start.line > shardOfLine && d.range.start.line < shardOfLine + 6), found.map((d) => d.message).join('\n'));
      assert.match(found[0]!.message, /^Hot line: [\d.]+% self, [\d.]+% total in .*\.perf\.txt$/);
    } finally {
      await settings.update('diagnostics', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the diagnostics to go', () => (hotLines().length === 0 ? true : undefined));
  });

  it('stops a profiling run when its task is terminated, with its processes', async () => {
    const marker = `sleep ${40 + Math.floor(Math.random() * 20)}`;
    const result = vscode.commands.executeCommand<boolean>('perfLab.profileCommand', { command: marker, profiler: 'perf' });
    const execution = await waitFor('the profiling task', () => vscode.tasks.taskExecutions.find((task) => task.task.name === `profile: ${marker}`));
    await waitFor('the profiled process', () => (running(marker) ? true : undefined));
    execution.terminate();
    assert.equal(await result, false, 'a stopped run loads nothing');
    await waitFor('the profiled process to end', () => (running(marker) ? undefined : true), 15_000);
  });

  it('opens the flame graph of the active profile, pruned for the panel', async () => {
    const panel = await vscode.commands.executeCommand<FlamePanel>('perfLab.showFlameGraph');
    const result = await waitFor('the first tree', () => panel.lastResult);
    assert.ok(result.tree.value > 50);
    const names: string[] = [];
    const walk = (node: typeof result.tree) => {
      names.push(node.name);
      node.children.forEach(walk);
    };
    walk(result.tree);
    assert.ok(names.includes('wordfreq::shard_of'), names.slice(0, 30).join(', '));
    assert.ok(names.length < 5000, 'pruned to what the panel can draw');
  });
});
