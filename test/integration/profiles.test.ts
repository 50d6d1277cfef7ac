import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PerfLabApi } from '../../src/extension/extension';
import type { FlamePanel } from '../../src/extension/flamePanel';
import { waitFor } from './waitFor';

const folder = () => vscode.workspace.workspaceFolders![0]!.uri;

/** Whether a process whose command line is exactly `command` runs. */
function running(command: string): boolean {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .some((line) => line.trim() === command);
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
    assert.match(path.basename(active.path), /^wordfreq-inputs_heavy\.log-\d{4}-/, 'named by what was recorded, then when');
    // A finished recording shows its flame graph and says where its heat is in the workspace's code.
    const flameTab = await waitFor('the flame graph of the recording', () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('perfLab.flameGraph')),
    );
    assert.equal(flameTab.label, 'Flame Graph');
    assert.ok(active.hottest && active.hottest.selfPercent > 1, JSON.stringify(active.hottest));
    assert.ok(active.hottest.uri?.startsWith(folder().toString()), `the hottest function is in the workspace: ${JSON.stringify(active.hottest)}`);
    // A recording (megabytes of perf data) never shows up as untracked files in the user's repository.
    const untracked = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', expected], { cwd: folder().fsPath, encoding: 'utf8' });
    assert.equal(untracked, '', `git sees the recording:\n${untracked}`);
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
    assert.ok(
      heat.some((line) => line.line > shardOfLine && line.line < shardOfLine + 6 && line.totalPercent > 5),
      JSON.stringify(heat.slice(0, 5)),
    );
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
      assert.ok(
        found.some((d) => d.range.start.line > shardOfLine && d.range.start.line < shardOfLine + 6),
        found.map((d) => d.message).join('\n'),
      );
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

  it("⚡ Profile on a criterion benchmark records the benchmark's own code, not criterion's analysis, in a file named after it", async function () {
    this.timeout(180_000);
    const benches = vscode.Uri.joinPath(folder(), 'rust/wordfreq/benches/criterion_benches.rs');
    const recorded = await vscode.commands.executeCommand<boolean>('perfLab.profileBenchmark', { uri: benches.toString(), kind: 'criterion', id: 'shard_of' });
    assert.equal(recorded, true);
    const active = await waitFor('the benchmark profile', () => (api.profiles.active && path.basename(api.profiles.active.path).startsWith('shard_of-') ? api.profiles.active : undefined));
    const samples = readFileSync(active.path, 'utf8')
      .split(/\n\s*\n/)
      .filter((sample) => sample.includes('cpu-clock'));
    const share = (pattern: RegExp) => samples.filter((sample) => pattern.test(sample)).length / samples.length;
    // criterion's statistics (bootstrap in rayon's threads) were 46% of such a profile.
    assert.ok(share(/shard_of/) > 0.6, `shard_of in ${(share(/shard_of/) * 100).toFixed(0)}% of ${samples.length} samples`);
    assert.ok(share(/rayon/) < 0.05, `rayon in ${(share(/rayon/) * 100).toFixed(0)}% of the samples`);
  });
});

/**
 * A C project nobody here wrote the way lz4 is laid out: its Makefile in programs/ compiles
 * ../lib/hot.c, so the DWARF file names are `programs/../lib/hot.c`. The heat must land on
 * lib/hot.c at the hot loop, with no setting.
 */
describe('Hot paths on a C project built by its own Makefile from a subdirectory', () => {
  let api: PerfLabApi;
  const project = () => vscode.Uri.joinPath(folder(), 'cproject');
  const hot = () => vscode.Uri.joinPath(project(), 'lib/hot.c');
  const hotSource = [
    '#include "hot.h"',
    '',
    'unsigned long checksum(const unsigned char *data, unsigned long n) {',
    '  unsigned long sum = 0;',
    '  for (unsigned long i = 0; i < n; i++) {',
    '    sum = sum * 31 + data[i];', // line 6: the hot loop
    '  }',
    '  return sum;',
    '}',
    '',
    // The lz4 case: a function with an inlined callee (gcc -O2 inlines a static inline).
    'static inline unsigned long mix(unsigned long sum, unsigned char byte) {',
    '  return (sum ^ byte) * 0x100000001b3UL;', // line 12: the callee's body, inlined
    '}',
    '',
    'unsigned long fingerprint(const unsigned char *data, unsigned long n) {', // line 15
    '  unsigned long sum = 14695981039346656037UL;',
    '  for (unsigned long i = 0; i < n; i++) sum = mix(sum, data[i]);', // line 17: the caller's own line
    '  return sum;',
    '}',
    '',
  ].join('\n');
  const mainSource = [
    '#include <stdio.h>',
    '#include <stdlib.h>',
    '#include "hot.h"',
    '',
    'int main(int argc, char **argv) {',
    '  unsigned long rounds = argc > 1 ? strtoul(argv[1], 0, 10) : 100;',
    '  static unsigned char buffer[1 << 20];',
    '  for (unsigned long i = 0; i < sizeof buffer; i++) buffer[i] = (unsigned char)(i * 7);',
    '  unsigned long total = 0;',
    '  for (unsigned long r = 0; r < rounds; r++) total += checksum(buffer, sizeof buffer) + fingerprint(buffer, sizeof buffer / 4);',
    '  printf("%lu\\n", total);',
    '  return 0;',
    '}',
    '',
  ].join('\n');

  before(async function () {
    this.timeout(60_000);
    api = await vscode.extensions.getExtension<PerfLabApi>('perf-lab.perf-lab')!.activate();
    const write = (relative: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(project(), relative), Buffer.from(text));
    await write('lib/hot.h', 'unsigned long checksum(const unsigned char *data, unsigned long n);\nunsigned long fingerprint(const unsigned char *data, unsigned long n);\n');
    await write('lib/hot.c', hotSource);
    await write('programs/main.c', mainSource);
    await write('programs/Makefile', 'CFLAGS ?= -O2 -g -fno-omit-frame-pointer\n\nbench: main.c ../lib/hot.c ../lib/hot.h\n\t$(CC) $(CFLAGS) -I../lib -o $@ main.c ../lib/hot.c\n');
    execFileSync('make', ['-s', '-C', vscode.Uri.joinPath(project(), 'programs').fsPath], { stdio: 'pipe' });
  });

  after(async () => {
    await vscode.workspace.fs.delete(project(), { recursive: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('paints the hot loop of lib/hot.c from a recording whose DWARF says programs/../lib/hot.c', async () => {
    const recorded = await vscode.commands.executeCommand<boolean>('perfLab.profileCommand', { command: 'cproject/programs/bench 400', profiler: 'perf' });
    assert.equal(recorded, true);
    await waitFor('the new profile', () => (api.profiles.active?.path.endsWith('.perf.txt') && api.profiles.active.samples > 100 ? api.profiles.active : undefined));
    await vscode.window.showTextDocument(hot());
    const heat = await waitFor('heat on lib/hot.c', async () => {
      const lines = (await api.heat.paintAll()).get(hot().toString());
      return lines?.length ? lines : undefined;
    });
    const hottest = [...heat].sort((a, b) => b.selfPercent - a.selfPercent)[0]!;
    // The loop (lines 5-6) holds the time; gcc may put the compare on either line.
    assert.ok(hottest.line >= 4 && hottest.line <= 5, `hottest line ${hottest.line + 1}: ${JSON.stringify(heat)}`);
    assert.ok(heat.filter((line) => line.line >= 4 && line.line <= 5).reduce((sum, line) => sum + line.selfPercent, 0) > 50, JSON.stringify(heat));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', hot(), new vscode.Position(5, 6));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /\*\*checksum\*\*: [\d.]+% self/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', hot());
    assert.ok(
      lenses.some((lens) => lens.range.start.line === 2 && lens.command?.title.startsWith('🔥 checksum · ')),
      lenses.map((lens) => `${lens.range.start.line}: ${lens.command?.title}`).join('\n'),
    );
    // The caller's own line names the caller, not the callee inlined into it; the callee's body
    // names the callee, marked inlined.
    const hoverText = async (line: number) =>
      (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', hot(), new vscode.Position(line, 4)))
        .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)))
        .join('\n');
    const callerLine = await hoverText(16);
    assert.match(callerLine, /\*\*fingerprint\*\*: [\d.]+% self/, callerLine);
    assert.doesNotMatch(callerLine, /\*\*mix\*\*/, callerLine);
    const calleeBody = await hoverText(11);
    assert.match(calleeBody, /\*\*mix\*\* \(inlined\): [\d.]+% self/, calleeBody);
  });

  it('says why a stripped build without frame pointers has no names or callers, and the fix for its build', async function () {
    this.timeout(60_000);
    const binary = path.join(project().fsPath, 'stripped-bench');
    execFileSync('cc', [
      '-O2',
      '-fomit-frame-pointer',
      '-I',
      path.join(project().fsPath, 'lib'),
      '-o',
      binary,
      path.join(project().fsPath, 'programs/main.c'),
      path.join(project().fsPath, 'lib/hot.c'),
    ]);
    execFileSync('strip', [binary]);
    const recorded = await vscode.commands.executeCommand<boolean>('perfLab.profileCommand', { command: 'cproject/stripped-bench 400', profiler: 'perf' });
    assert.equal(recorded, true);
    const active = await waitFor('the stripped profile', () => (api.profiles.active && path.basename(api.profiles.active.path).startsWith('stripped-bench-') ? api.profiles.active : undefined));
    const report = active.symbolization;
    assert.ok(report, 'a report on its names');
    assert.ok(report.unnamedPercent > 80 && report.truncatedPercent > 80, JSON.stringify(report));
    assert.match(report.problems[0]!, /^\d+% of the time is in .*stripped-bench, which is stripped \(no \.symtab, no debug info\)/);
    assert.ok(
      report.problems.some((problem) => /stop before main or a thread's start: without frame pointers/.test(problem)),
      report.problems.join('\n'),
    );
    // The workspace builds with cargo, CMake and (this project) make: each gets its own fix.
    assert.ok(
      report.fixes.some((fix) => fix.startsWith('Make: `CFLAGS="-O2 -g -fno-omit-frame-pointer"`')),
      report.fixes.join('\n'),
    );
    assert.ok(
      report.fixes.some((fix) => fix.includes('force-frame-pointers')),
      report.fixes.join('\n'),
    );
    assert.ok(
      report.fixes.some((fix) => fix.includes('perf (DWARF)')),
      report.fixes.join('\n'),
    );
    // A build with names and frame pointers gets no report.
    const wordfreq = await vscode.commands.executeCommand<boolean>('perfLab.profileCommand', { command: 'cproject/programs/bench 300', profiler: 'perf' });
    assert.equal(wordfreq, true);
    const healthy = await waitFor('the healthy profile', () => (api.profiles.active && path.basename(api.profiles.active.path).startsWith('bench-') ? api.profiles.active : undefined));
    assert.equal(healthy.symbolization, undefined, JSON.stringify(healthy.symbolization));
  });

  it('says when the hot code was built in a folder that is not here, and maps it to the workspace folder', async function () {
    this.timeout(60_000);
    // Built as CI builds it: in another folder, whose sources are gone once the binary is made.
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'elsewhere-build-'));
    cpSync(project().fsPath, elsewhere, { recursive: true });
    rmSync(path.join(elsewhere, 'programs/bench'), { force: true });
    execFileSync('make', ['-s', '-C', path.join(elsewhere, 'programs')], { stdio: 'pipe' });
    for (const source of ['lib/hot.c', 'lib/hot.h', 'programs/main.c']) rmSync(path.join(elsewhere, source));
    const prefixMap = vscode.workspace.getConfiguration('perfLab.profiles').inspect('prefixMap')!.workspaceValue;
    try {
      const recorded = await vscode.commands.executeCommand<boolean>('perfLab.profileCommand', { command: `${path.join(elsewhere, 'programs/bench')} 400`, profiler: 'perf' });
      assert.equal(recorded, true);
      const active = await waitFor('the profile built elsewhere', () => (api.profiles.active?.missingSources ? api.profiles.active : undefined));
      const missing = active.missingSources!;
      assert.equal(missing.prefix, elsewhere);
      assert.equal(missing.files[0], path.join(elsewhere, 'lib/hot.c'));
      assert.ok(missing.percent > 50, `${missing.percent}%`);
      // The answer to "Map to a Workspace Folder…", given here instead of the folder picker.
      const mapped = await vscode.commands.executeCommand<{ missingSources?: unknown } | undefined>('perfLab.mapSourceFolder', { from: missing.prefix, to: project().fsPath });
      assert.ok(mapped && !mapped.missingSources, JSON.stringify(mapped));
      assert.deepEqual(vscode.workspace.getConfiguration('perfLab.profiles').get('prefixMap'), { ...(prefixMap as object | undefined), [elsewhere]: project().fsPath });
      // The recording opened its flame graph over the editors: heat is painted on visible ones.
      await vscode.window.showTextDocument(hot());
      const heat = await waitFor('heat on lib/hot.c through the mapping', async () => {
        const lines = (await api.heat.paintAll()).get(hot().toString());
        return lines?.some((line) => line.line >= 4 && line.line <= 5 && line.selfPercent > 10) ? lines : undefined;
      });
      assert.ok(heat.length > 0);
    } finally {
      await vscode.workspace.getConfiguration('perfLab.profiles').update('prefixMap', prefixMap, vscode.ConfigurationTarget.Workspace);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
