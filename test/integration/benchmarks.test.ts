import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BenchOutput } from '../../src/core/bench';
import { BenchmarksView } from '../../src/extension/benchmarksView';
import type { PerfLabApi } from '../../src/extension/extension';
import type { BenchmarkTarget } from '../../src/protocol/lsp';
import { waitFor } from './waitFor';

const folder = () => vscode.workspace.workspaceFolders![0]!.uri;

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.map((lens) => `${lens.range.start.line}: ${lens.command?.title ?? ''}`);
}

describe('Benchmarks in the source', () => {
  const criterion = () => vscode.Uri.joinPath(folder(), 'rust/wordfreq/benches/criterion_benches.rs');
  const gbench = () => vscode.Uri.joinPath(folder(), 'cpp/bench/latency_bench.cpp');
  const settings = () => vscode.workspace.getConfiguration('perfLab.benchmarks');

  before(async function () {
    await vscode.extensions.getExtension('perf-lab.perf-lab')!.activate();
    if (!existsSync(vscode.Uri.joinPath(folder(), 'build/cpp/latency_bench').fsPath)) this.skip();
    // No baseline from an earlier run: the first result stands alone.
    rmSync(vscode.Uri.joinPath(folder(), '.perf-lab/baselines.json').fsPath, { force: true });
    // Short runs for the test; users keep the tools' defaults.
    await settings().update('criterionArgs', ['--warm-up-time', '1', '--measurement-time', '1', '--noplot'], vscode.ConfigurationTarget.Global);
    await settings().update('googleBenchmarkArgs', ['--benchmark_min_time=0.01', '--benchmark_repetitions=3'], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await settings().update('criterionArgs', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('googleBenchmarkArgs', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('puts "▶ Benchmark · ⚡ Profile" over criterion functions and runs one, its result in the lens', async () => {
    const document = await vscode.workspace.openTextDocument(criterion());
    await vscode.window.showTextDocument(document);
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.includes('bench_function("tokenize_line"'));
    const titles = await waitFor('benchmark lenses', async () => {
      const found = await lensTitles(criterion());
      return found.includes(`${line}: ▶ Benchmark`) ? found : undefined;
    });
    assert.ok(titles.includes(`${line}: ⚡ Profile`));
    const target: BenchmarkTarget = { uri: criterion().toString(), kind: 'criterion', id: 'tokenize_line' };
    const output = await vscode.commands.executeCommand<BenchOutput>('perfLab.runBenchmark', target);
    assert.equal(output.tool, 'criterion');
    assert.deepEqual(
      output.benchmarks.map((b) => b.name),
      ['tokenize_line'],
    );
    assert.ok(output.benchmarks[0]!.samples.length >= 10);
    const result = await waitFor('the result lens', async () => (await lensTitles(criterion())).find((title) => title.startsWith(`${line}: median `)));
    assert.match(result, /^\d+: median [\d.]+ (ns|µs) · CV [\d.]+% · n=\d+$/);
    // The Benchmarks view shows the same last result.
    const api = vscode.extensions.getExtension<PerfLabApi>('perf-lab.perf-lab')!.exports;
    const files = api.benchmarks.getChildren();
    const labels = files.map((node) => String(api.benchmarks.getTreeItem(node).label));
    assert.ok(labels.includes('rust/wordfreq/benches/criterion_benches.rs') && labels.includes('cpp/bench/latency_bench.cpp'), labels.join(', '));
    const rows = files.flatMap((node) => api.benchmarks.getChildren(node)).map((node) => api.benchmarks.getTreeItem(node));
    const tokenize = rows.find((item) => item.label === 'tokenize_line')!;
    assert.equal(`${line}: ${tokenize.description}`, result);
  });

  it('compares a new run with the saved baseline: delta and interval in the lens, and NOISY, as one run a side decides nothing', async () => {
    const document = await vscode.workspace.openTextDocument(criterion());
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.includes('bench_function("tokenize_line"'));
    const target: BenchmarkTarget = { uri: criterion().toString(), kind: 'criterion', id: 'tokenize_line' };
    await waitFor('the baseline lens', async () => ((await lensTitles(criterion())).includes(`${line}: ⇄ Set as Baseline`) ? true : undefined));
    await vscode.commands.executeCommand('perfLab.setBenchmarkBaseline', target);
    const saved = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder(), '.perf-lab/baselines.json'))).toString('utf8'));
    assert.ok(saved['rust/wordfreq/benches/criterion_benches.rs#criterion#tokenize_line'][0].samples.length >= 10);
    await vscode.commands.executeCommand('perfLab.runBenchmark', target);
    const compared = await waitFor('the comparison in the lens', async () => (await lensTitles(criterion())).find((title) => title.startsWith(`${line}: median `) && title.includes('Δ')));
    // The same code run again: one run a side decides nothing, whatever its samples say.
    assert.match(compared, / · Δ [+-]?[\d.]+% \[[+-]?[\d.]+%, [+-]?[\d.]+%\] · one run a side: NOISY$/);
  });

  it('runs a Google Benchmark with its Arg variants, repetitions as samples', async () => {
    const document = await vscode.workspace.openTextDocument(gbench());
    await vscode.window.showTextDocument(document);
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.startsWith('BENCHMARK(BM_Percentile)'));
    await waitFor('gbench lenses', async () => ((await lensTitles(gbench())).includes(`${line}: ▶ Benchmark`) ? true : undefined));
    const output = await vscode.commands.executeCommand<BenchOutput>('perfLab.runBenchmark', { uri: gbench().toString(), kind: 'google-benchmark', id: 'BM_Percentile' } satisfies BenchmarkTarget);
    assert.deepEqual(
      output.benchmarks.map((b) => [b.name, b.samples.length]),
      [
        ['BM_Percentile/1000', 3],
        ['BM_Percentile/10000', 3],
      ],
    );
    const result = await waitFor('the result lens', async () => (await lensTitles(gbench())).find((title) => title.startsWith(`${line}: 1000: `)));
    assert.match(result, /1000: [\d.]+ (ns|µs|ms) · 10000: [\d.]+ (ns|µs|ms)$/);
  });

  it('offers each benchmark as a perf-lab task (pinnable in tasks.json); running one puts its result in the lens', async () => {
    const tasks = await waitFor('perf-lab tasks', async () => {
      const found = await vscode.tasks.fetchTasks({ type: 'perf-lab' });
      return found.some((task) => task.name === 'benchmark: EndpointFixture/Record') ? found : undefined;
    });
    const byName = new Map(tasks.map((task) => [task.name, task]));
    const shard = byName.get('benchmark: shard_of')!;
    assert.deepEqual(shard.definition, { type: 'perf-lab', kind: 'benchmark', tool: 'criterion', benchmark: 'shard_of', file: 'rust/wordfreq/benches/criterion_benches.rs' });
    assert.match((shard.execution as vscode.ShellExecution).commandLine!, /^cargo bench --bench criterion_benches --no-run && cargo bench --bench criterion_benches -- .* '\^shard_of\$'$/);
    const record = byName.get('benchmark: EndpointFixture/Record')!;
    assert.match((record.execution as vscode.ShellExecution).commandLine!, /latency_bench' --benchmark_filter='\^EndpointFixture\/Record\(\/\|\$\)'/);

    // Run it the way a user does (Tasks: Run Task): the lens shows the result afterwards.
    const document = await vscode.workspace.openTextDocument(gbench());
    await vscode.window.showTextDocument(document);
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.startsWith('BENCHMARK_F(EndpointFixture, Record)'));
    // Listening before it starts: the run can end before executeTask's promise settles.
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution.task.name === record.name) {
          listener.dispose();
          resolve(event.exitCode);
        }
      });
    });
    await vscode.tasks.executeTask(record);
    assert.equal(await ended, 0);
    const result = await waitFor('the result lens of the task run', async () => (await lensTitles(gbench())).find((title) => title.startsWith(`${line}: median `)), 20_000).catch(
      async (error: Error) => {
        throw new Error(`${error.message}; lenses: ${(await lensTitles(gbench())).join(' | ')}`);
      },
    );
    assert.match(result, /^\d+: median [\d.]+ (ns|µs|ms) · CV [\d.]+% · n=3$/);
  });

  it('benchmarks the commands of perfLab.commands with hyperfine, one result per parameter value', async () => {
    const api = vscode.extensions.getExtension<PerfLabApi>('perf-lab.perf-lab')!.exports;
    // The example workspace declares "wordfreq" over three inputs in .vscode/settings.json (and "wordfreq-index", its memory hot spot).
    const declared = vscode.workspace.getConfiguration('perfLab').get<{ name: string }[]>('commands', []);
    assert.deepEqual(
      declared.map((command) => command.name),
      ['wordfreq', 'wordfreq-index'],
    );
    await api.benchmarks.reload();
    const commandsNode = api.benchmarks.getChildren().find((node) => api.benchmarks.getTreeItem(node).label === 'perfLab.commands (hyperfine)')!;
    assert.ok(commandsNode, 'the commands are listed in the Benchmarks view');
    const [row] = api.benchmarks.getChildren(commandsNode);
    const target = BenchmarksView.target(row!)!;
    assert.deepEqual([target.kind, target.id], ['hyperfine', 'wordfreq']);
    const output = await vscode.commands.executeCommand<BenchOutput>('perfLab.runBenchmark', target);
    assert.equal(output.tool, 'hyperfine');
    assert.deepEqual(
      output.benchmarks.map((b) => [b.name, b.samples.length]),
      // Named by the benchmark and its parameter (hyperfine's --command-name), not the command line.
      ['light', 'typical', 'heavy'].map((input) => [`wordfreq input=${input}`, 10]),
    );
    const medians = output.benchmarks.map((b) => [...b.samples].sort((x, y) => x - y)[5]!);
    assert.ok(medians[0]! < medians[2]!, `light (${medians[0]}) runs faster than heavy (${medians[2]})`);
    const described = await waitFor('the result in the view', () => {
      const node = api.benchmarks.getChildren().find((candidate) => api.benchmarks.getTreeItem(candidate).label === 'perfLab.commands (hyperfine)');
      const description = node && api.benchmarks.getTreeItem(api.benchmarks.getChildren(node)[0]!).description;
      return typeof description === 'string' && description.includes('heavy') ? description : undefined;
    });
    assert.match(described, /^input=light: [\d.]+ (ms|s) · input=typical: [\d.]+ (ms|s) · input=heavy: [\d.]+ (ms|s)$/);
  });

  it('runs its command lines in /bin/sh when the terminal shell is fish: quotes and backslashes reach the tool as written', async function () {
    if (!existsSync('/usr/bin/fish')) this.skip(); // scripts/setup.sh installs it
    const terminal = vscode.workspace.getConfiguration('terminal.integrated');
    const perfLab = vscode.workspace.getConfiguration('perfLab');
    const declared = perfLab.inspect('commands')!.workspaceValue;
    const marker = path.join(folder().fsPath, '.perf-lab', 'shell-marker.txt');
    rmSync(marker, { force: true });
    // fish reads \\ and \' inside single quotes as escapes, where sh keeps them: a line quoted for
    // sh and run by fish would hand hyperfine `a\b` and could end its quoting early.
    const command = `printf '%s' 'it'"'"'s a\\\\b' > ${marker}`;
    await terminal.update('automationProfile.linux', { path: '/usr/bin/fish' }, vscode.ConfigurationTarget.Global);
    await perfLab.update('commands', [{ name: "dijkstra's path", command, runs: 2, warmup: 0 }], vscode.ConfigurationTarget.Workspace);
    try {
      const output = await vscode.commands.executeCommand<BenchOutput>('perfLab.runBenchmark', {
        uri: vscode.Uri.joinPath(folder(), '.vscode/settings.json').toString(),
        kind: 'hyperfine',
        id: "dijkstra's path",
      } satisfies BenchmarkTarget);
      assert.ok(output, 'the benchmark ran');
      // The name (hyperfine's --command-name, with its apostrophe) and the command reach hyperfine as written.
      assert.deepEqual(
        output.benchmarks.map((b) => [b.name, b.samples.length]),
        [["dijkstra's path", 2]],
      );
      assert.equal(readFileSync(marker, 'utf8'), "it's a\\\\b");
    } finally {
      await terminal.update('automationProfile.linux', undefined, vscode.ConfigurationTarget.Global);
      await perfLab.update('commands', declared, vscode.ConfigurationTarget.Workspace);
    }
  });
});
