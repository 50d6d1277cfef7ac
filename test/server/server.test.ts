/** The built language server (dist/server.js) over stdio, spoken to by a real LSP connection. */
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DocumentLinkRequest,
  HoverRequest,
  CompletionRequest,
  createProtocolConnection,
  Diagnostic,
  PublishDiagnosticsNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ProtocolConnection,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import {
  BenchmarkResultsRequest,
  FlameTreeRequest,
  FunctionSourceRequest,
  IdeaEditRequest,
  IdeasChangedNotification,
  IdeasRequest,
  LineHeatRequest,
  LoadProfileRequest,
  RecordTargetRequest,
  ServerInfoRequest,
  TargetsRequest,
} from '../../src/protocol/lsp';
import { perfLabVersion } from '../../src/core/version';

const root = path.resolve(__dirname, '../../..');
const workspace = path.join(root, 'examples/native-core');

describe('language server over stdio', () => {
  let server: ChildProcess;
  let connection: ProtocolConnection;
  let stderr = '';
  let ideasLoaded: Promise<void>;
  const settings: Record<string, unknown> = {};
  const diagnostics = new Map<string, Diagnostic[]>();

  before(async () => {
    server = spawn(process.execPath, [path.join(root, 'dist/server.js'), '--stdio'], { stdio: 'pipe' });
    server.stderr!.on('data', (chunk) => (stderr += chunk));
    connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    ideasLoaded = new Promise((resolve) => connection.onNotification(IdeasChangedNotification.type, () => resolve()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      diagnostics.set(params.uri, params.diagnostics);
    });
    // The settings a client would hold; the server pulls them with workspace/configuration.
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => settings[item.section ?? ''] ?? null));
    connection.listen();
  });

  after(() => {
    connection.dispose();
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  it('initializes and names itself', async () => {
    const folder = pathToFileURL(workspace).toString();
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder,
      capabilities: { workspace: { configuration: true } },
      workspaceFolders: [{ uri: folder, name: 'native-core' }],
    });
    assert.deepEqual(result.serverInfo, { name: 'perf-lab-server', version: perfLabVersion });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  it('reports its version, process and workspace through perfLab/serverInfo', async () => {
    await ideasLoaded;
    const info = await connection.sendRequest(ServerInfoRequest.type);
    assert.equal(info.version, perfLabVersion);
    assert.equal(info.pid, server.pid);
    assert.deepEqual(info.workspaceFolders, [pathToFileURL(workspace).toString()]);
    assert.deepEqual(info.openDocuments, []);
    assert.ok(info.ideas.ideas >= 10, "the example's idea documents are loaded");
  });

  async function waitForDiagnostics(uri: string, accept: (list: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    for (let i = 0; i < 100; i++) {
      const list = diagnostics.get(uri) ?? [];
      if (accept(list)) return list;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(diagnostics.get(uri))}`);
  }

  const ideasUri = pathToFileURL(path.join(workspace, 'docs/perf/ideas.md')).toString();
  const libUri = pathToFileURL(path.join(workspace, 'rust/wordfreq/src/lib.rs')).toString();

  it('lists the idea documents with resolved locations', async () => {
    const documents = await connection.sendRequest(IdeasRequest.type);
    assert.deepEqual(
      documents.map((document) => document.path),
      ['docs/perf/ideas.md', 'docs/perf/optimization-tasks.md'],
    );
    const first = documents[0]!.ideas[0]!;
    assert.equal(first.title, 'Count words in a HashMap instead of a linear search');
    assert.deepEqual(first.locations[0], { text: 'rust/wordfreq/src/lib.rs:40', resolved: true, uri: libUri, line: 39 });
    assert.ok(documents[0]!.statuses.includes('In progress'));
  });

  it('publishes a diagnostic for a location that no longer exists', async () => {
    const published = diagnostics.get(ideasUri) ?? [];
    assert.deepEqual(
      published.map((d) => [d.code, d.range.start.line + 1]),
      [['unresolved-location', 26]],
    );
    assert.match(String(published[0]!.message), /no file in the workspace ends with rust\/wordfreq\/src\/tokenize\.rs/);
  });

  it('shows the ideas that target a function as CodeLenses in the source', async () => {
    const lenses = await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: libUri } });
    const titles = (lenses ?? []).map((lens) => `${lens.range.start.line + 1}: ${lens.command?.title}`);
    assert.ok(titles.includes('40: 💡 Count words in a HashMap instead of a linear search · Tier 1: easy wins · To do'), titles.join('\n'));
  });

  it('computes a status edit on the unsaved text the editor has, one cell only', async () => {
    const disk = readFileSync(path.join(workspace, 'docs/perf/ideas.md'), 'utf8');
    // Unsaved: a line added at the top moves every idea down by one.
    const unsaved = `<!-- draft -->\n${disk}`;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: ideasUri, languageId: 'markdown', version: 1, text: unsaved },
    });
    const info = await connection.sendRequest(ServerInfoRequest.type);
    assert.deepEqual(info.openDocuments, [ideasUri]);
    const documents = await connection.sendRequest(IdeasRequest.type);
    const idea = documents[0]!.ideas.find((candidate) => candidate.title === 'Hash the shard salt once')!;
    assert.equal(idea.line, 16, '0-based line in the unsaved text');
    const edit = await connection.sendRequest(IdeaEditRequest.type, { uri: ideasUri, ideaId: idea.id, status: 'Done' });
    const [change] = edit.changes![ideasUri]!;
    assert.deepEqual(change, { range: { start: { line: 16, character: 28 }, end: { line: 16, character: 35 } }, newText: ' Done  ' });
  });

  it('answers a status edit on a table without a Status column with a plain error, and adds the column when asked', async () => {
    // Unsaved only: the document exists in the editor, not on disk.
    const uri = pathToFileURL(path.join(workspace, 'docs/perf/tiers-unsaved.md')).toString();
    const text = '# Tiers\n\n| Idea | Why | Key Location |\n|------|-----|--------------|\n| **Skip zero-init** | hot | `rust/wordfreq/src/lib.rs:40` |\n';
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    const idea = await (async () => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const found = (await connection.sendRequest(IdeasRequest.type)).find((document) => document.uri === uri)?.ideas[0];
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the unsaved tier table was never read');
    })();
    assert.equal(idea.noStatusColumn, true);
    assert.equal(idea.status, undefined);
    await assert.rejects(connection.sendRequest(IdeaEditRequest.type, { uri, ideaId: idea.id, status: 'In progress' }), (error: Error) => {
      // The user reads this message as it is: no "Request perfLab/ideaEdit failed with message:".
      assert.equal(error.message, 'docs/perf/tiers-unsaved.md:5: the table of "Skip zero-init" has no Status column');
      return true;
    });
    const edit = await connection.sendRequest(IdeaEditRequest.type, { uri, ideaId: idea.id, status: 'In progress', addColumn: true });
    assert.deepEqual(
      edit.changes![uri]!.map((change) => [change.range.start.line, change.newText]),
      [
        [2, ' Status      |'],
        [3, '-------------|'],
        [4, ' In progress |'],
      ],
    );
    await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  });

  it('completes statuses in a Status cell', async () => {
    const items = await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: ideasUri }, position: { line: 16, character: 31 } });
    const labels = (Array.isArray(items) ? items : (items?.items ?? [])).map((item) => item.label);
    assert.deepEqual(labels.slice(0, 6), ['To do', 'In progress', 'Review', 'Benches', 'Done', 'Discarded']);
    const elsewhere = await connection.sendRequest(CompletionRequest.type, { textDocument: { uri: ideasUri }, position: { line: 16, character: 3 } });
    assert.deepEqual(Array.isArray(elsewhere) ? elsewhere : (elsewhere?.items ?? []), []);
  });

  it('links locations in idea documents to their files and lines', async () => {
    const links = await connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: ideasUri } });
    const targets = (links ?? []).map((link) => link.target);
    assert.ok(targets.includes(`${libUri}#L40`), targets.join('\n'));
  });

  it('offers quick fixes: a known status for an unknown one, an existing file for a lost one', async () => {
    const text = readFileSync(path.join(workspace, 'docs/perf/ideas.md'), 'utf8').replace('| Hash the shard salt once | To do |', '| Hash the shard salt once | Todo! |');
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: ideasUri, version: 2 }, contentChanges: [{ text }] });
    const published = await waitForDiagnostics(ideasUri, (list) => list.some((d) => d.code === 'unknown-status'));
    const unknown = published.find((d) => d.code === 'unknown-status')!;
    assert.equal(unknown.range.start.line, 15);
    const fixes = await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: ideasUri }, range: unknown.range, context: { diagnostics: [unknown] } });
    const titles = (fixes ?? []).map((fix) => fix.title);
    assert.deepEqual(titles.slice(0, 2), ['Set status to "To do"', 'Set status to "In progress"']);
    const lost = published.find((d) => d.code === 'unresolved-location')!;
    const fileFixes = await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: ideasUri }, range: lost.range, context: { diagnostics: [lost] } });
    assert.deepEqual(
      (fileFixes ?? []).map((fix) => fix.title),
      [],
      'no tokenize.rs exists anywhere, so nothing to point to',
    );
  });

  it('loads a profile and annotates the source: line heat, hot-function CodeLens, hover with ideas', async () => {
    const lib = path.join(workspace, 'rust/wordfreq/src/lib.rs');
    const source = readFileSync(lib, 'utf8').split('\n');
    const lineOf = (text: string) => source.findIndex((line) => line.includes(text)) + 1;
    const shardOf = lineOf('pub fn shard_of');
    const add = lineOf('pub fn add(');
    const sample = (frames: [string, number][]) =>
      `wordfreq 7/7 [000] 1.0: 250000 cpu-clock:\n${frames.map(([name, line], i) => `\t${(0x1000 + i).toString(16)} ${name} (/bin/wordfreq)\n  ${lib}:${line}\n`).join('')}\n`;
    const text =
      // A signature as perf prints C++ names: shown as `wordfreq::shard_of`, kept whole for the hover.
      sample([
        ['wordfreq::shard_of(char const*, unsigned long)', shardOf + 2],
        ['wordfreq::analyze', 170],
        ['main', 5],
      ]).repeat(6) +
      sample([
        ['wordfreq::WordCounts::add', add + 2],
        ['wordfreq::count_words', 82],
        ['wordfreq::analyze', 166],
        ['main', 5],
      ]).repeat(3) +
      sample([
        ['memcmp', 0],
        ['main', 5],
      ]);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'perf-lab-server-')), 'wordfreq.perf.txt');
    writeFileSync(file, text);
    const summary = await connection.sendRequest(LoadProfileRequest.type, { path: file });
    assert.deepEqual([summary.format, summary.samples, summary.active], ['perf-script', 10, true]);

    const heat = await connection.sendRequest(LineHeatRequest.type, { uri: libUri });
    const hot = heat.lines.find((line) => line.line === shardOf + 1)!;
    // Weighted by the period perf printed: 6 samples of 250000 ns of cpu-clock.
    assert.deepEqual([hot.self, hot.selfPercent], [6 * 250000, 60]);

    const lenses = (await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: libUri } })) ?? [];
    const fire = lenses.filter((lens) => lens.command?.title.startsWith('🔥')).map((lens) => `${lens.range.start.line + 1}: ${lens.command!.title}`);
    assert.ok(fire.includes(`${shardOf}: 🔥 wordfreq::shard_of · 60.0% self · 60.0% total · flame graph`), fire.join('\n'));
    assert.ok(fire.includes(`${add}: 🔥 WordCounts::add · 30.0% self · 30.0% total · flame graph`), fire.join('\n'));

    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: libUri }, position: { line: shardOf + 1, character: 4 } });
    const markdown = (hover!.contents as { value: string }).value;
    assert.match(markdown, /\*\*wordfreq::shard\\_of\*\*: 60\.0% self · 60\.0% total/);
    assert.match(markdown, /Called from: wordfreq::analyze \(60\.0%\)/);
    assert.ok(markdown.includes('`wordfreq::shard_of(char const*, unsigned long)`'), markdown);
    assert.match(markdown, /💡 Hash the shard salt once/);
    // count_words' call of add is count_words' own line, though add is defined above it.
    const callHover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: libUri }, position: { line: 81, character: 4 } });
    assert.match((callHover!.contents as { value: string }).value, /\*\*Line 82\*\*: 0\.0% self · 30\.0% total[^]*\*\*wordfreq::count\\_words\*\*: 0\.0% self · 30\.0% total/);

    // A file changed after the recording: its annotations say so.
    const { atime, mtime } = statSync(lib);
    try {
      const later = new Date(Date.now() + 60_000);
      utimesSync(lib, later, later);
      const staleLenses = (await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: libUri } })) ?? [];
      assert.ok(staleLenses.some((lens) => lens.command?.title === '🔥 wordfreq::shard_of · 60.0% self · 60.0% total · stale · flame graph'));
      assert.equal((await connection.sendRequest(LineHeatRequest.type, { uri: libUri })).stale, true);
    } finally {
      utimesSync(lib, atime, mtime);
    }

    const flame = await connection.sendRequest(FlameTreeRequest.type, { width: 800 });
    assert.equal(flame.tree.value, 10 * 250000);
    assert.deepEqual(
      flame.tree.children.map((child) => child.name),
      ['wordfreq'],
    );
    const main = flame.tree.children[0]!.children[0]!;
    assert.deepEqual(
      main.children.map((child) => child.name),
      ['memcmp', 'wordfreq::analyze'],
    );
    const analyze = main.children[1]!;
    const zoomed = await connection.sendRequest(FlameTreeRequest.type, { width: 800, root: analyze.id });
    assert.equal(zoomed.tree.name, 'wordfreq::analyze');
    const where = await connection.sendRequest(FunctionSourceRequest.type, { profileId: flame.profileId, func: zoomed.tree.children.find((c) => c.name === 'wordfreq::shard_of')!.func });
    assert.deepEqual(where, { uri: libUri, line: shardOf - 1 });
  });

  it('reports hot lines as Information diagnostics once the setting turns them on', async () => {
    const published = () => (diagnostics.get(libUri) ?? []).filter((d) => d.code === 'hot-line');
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: libUri, languageId: 'rust', version: 1, text: readFileSync(path.join(workspace, 'rust/wordfreq/src/lib.rs'), 'utf8') },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(published(), [], 'off by default');
    settings['perfLab.hotPaths'] = { threshold: 1, metric: 'total', diagnostics: true };
    await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const hot = await waitForDiagnostics(libUri, (list) => list.some((d) => d.code === 'hot-line'));
    assert.ok(hot.some((d) => d.code === 'hot-line' && /^Hot line: 60\.0% self, 60\.0% total in wordfreq\.perf\.txt$/.test(String(d.message))));
    settings['perfLab.hotPaths'] = { threshold: 1, metric: 'total', diagnostics: false };
    await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await waitForDiagnostics(libUri, (list) => !list.some((d) => d.code === 'hot-line'));
  });

  it('draws a differential flame tree: the candidate widths, the change per stack against the baseline', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-diff-'));
    writeFileSync(path.join(dir, 'before.folded'), 'main;parse 50\nmain;render 50\n');
    writeFileSync(path.join(dir, 'after.folded'), 'main;parse 50\nmain;render 150\n');
    const before = await connection.sendRequest(LoadProfileRequest.type, { path: path.join(dir, 'before.folded') });
    const after = await connection.sendRequest(LoadProfileRequest.type, { path: path.join(dir, 'after.folded') });
    const diff = await connection.sendRequest(FlameTreeRequest.type, { profileId: after.id, compareTo: before.id, width: 800 });
    assert.deepEqual(diff.diff, { baselineId: before.id, baselineTitle: 'before.folded', scale: 2, normalized: true });
    const main = diff.tree.children[0]!;
    const delta = Object.fromEntries(main.children.map((child) => [child.name, child.delta]));
    assert.deepEqual(delta, { parse: -50, render: 50 }, 'normalised: render grew, parse shrank relative to the total');
    const raw = await connection.sendRequest(FlameTreeRequest.type, { profileId: after.id, compareTo: before.id, width: 800, normalize: false });
    assert.deepEqual(Object.fromEntries(raw.tree.children[0]!.children.map((child) => [child.name, child.delta])), { parse: 0, render: 100 });
    const zoomed = await connection.sendRequest(FlameTreeRequest.type, { profileId: after.id, compareTo: before.id, width: 800, root: main.id });
    assert.equal(zoomed.tree.delta, 0, 'main: 200 after, 100 before scaled by 2');
  });

  it("states the documents' targets against the results the client reports: status, diagnostics, a lens, Record as Current", async () => {
    const tasksFile = path.join(workspace, 'docs/perf/optimization-tasks.md');
    const tasksUri = pathToFileURL(tasksFile).toString();
    const benches = path.join(workspace, 'rust/wordfreq/benches/criterion_benches.rs');
    const benchesUri = pathToFileURL(benches).toString();
    const settingsUri = pathToFileURL(path.join(workspace, '.vscode/settings.json')).toString();
    settings['perfLab.commands'] = [{ name: 'wordfreq', command: 'rust/target/release/wordfreq inputs/{input}.log', parameters: { input: ['light', 'heavy'] } }];
    await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const before = await connection.sendRequest(TargetsRequest.type);
    const tokenize = before.find((target) => target.name === 'tokenize_line')!;
    assert.deepEqual([tokenize.status, tokenize.linked?.name, tokenize.linked?.benchmark?.kind, tokenize.line], ['unmeasured', 'tokenize_line', 'criterion', 38]);
    // A lens run of tokenize_line, and a hyperfine run of the wordfreq commands.
    const result = (name: string, median: number) => ({ name, unit: 'ns', median, cv: 0.01, n: 3, samples: [median, median, median] });
    await connection.sendRequest(BenchmarkResultsRequest.type, { target: { uri: benchesUri, kind: 'criterion', id: 'tokenize_line' }, results: [result('tokenize_line', 310)] });
    await connection.sendRequest(BenchmarkResultsRequest.type, {
      target: { uri: settingsUri, kind: 'hyperfine', id: 'wordfreq' },
      results: [result('wordfreq input=light', 18e6), result('wordfreq input=heavy', 2.4e9)],
    });
    await connection.sendRequest(BenchmarkResultsRequest.type, { target: { uri: benchesUri, kind: 'criterion', id: 'count_words', group: true }, results: [result('count_words/typical', 61_000)] });
    const after = await connection.sendRequest(TargetsRequest.type);
    // A relative goal ("10x lower") with no Current figure yet: the result can become it.
    const relative = after.find((target) => target.name === 'count_words/typical')!;
    assert.deepEqual([relative.status, relative.recordable, relative.measuredText], ['incomparable', true, '61 µs'], JSON.stringify(relative));
    assert.deepEqual(
      after.filter((target) => target.path === 'docs/perf/optimization-tasks.md').map((target) => [target.name, target.status, target.linked?.name]),
      [
        ['wordfreq inputs/heavy.log wall time', 'critical', 'wordfreq input=heavy'],
        ['tokenize_line', 'met', 'tokenize_line'],
        ['count_words/typical', 'incomparable', 'count_words/typical'],
        ['BM_Percentile/10000', 'unmeasured', 'BM_Percentile'],
      ],
    );
    const published = await waitForDiagnostics(tasksUri, (list) => list.some((d) => d.code === 'target-critical'));
    const critical = published.find((d) => d.code === 'target-critical')!;
    assert.equal(critical.range.start.line, 37);
    assert.equal(critical.message, '"wordfreq inputs/heavy.log wall time" crossed its critical threshold: target < 40 ms · critical > 2 s · now 2.4 s · critical (wordfreq input=heavy)');
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: benchesUri, languageId: 'rust', version: 1, text: readFileSync(benches, 'utf8') } });
    const lenses = await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: benchesUri } });
    const lens = (lenses ?? []).find((candidate) => candidate.command?.title.startsWith('🎯'));
    assert.equal(lens?.command?.title, '🎯 tokenize_line: target < 1 µs · critical > 10 µs · now 310 ns · met');
    assert.deepEqual(lens?.command?.arguments, [{ uri: tasksUri, line: 38 }]);
    // Record as Current: the measured value over the Current cell, "~" kept.
    const edit = await connection.sendRequest(RecordTargetRequest.type, { uri: tasksUri, line: 38, name: 'tokenize_line' });
    const [change] = edit.changes![tasksUri]!;
    assert.equal(change!.newText, '~310 ns');
    const line = readFileSync(tasksFile, 'utf8').split('\n')[38]!;
    assert.equal(line.slice(change!.range.start.character, change!.range.end.character), '~300 ns');
    settings['perfLab.commands'] = null;
    await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  });

  it('answers an unknown request with an error and keeps serving', async () => {
    await assert.rejects(connection.sendRequest('perfLab/noSuchRequest', {}), /Unhandled method|not found/i);
    assert.equal((await connection.sendRequest(ServerInfoRequest.type)).pid, server.pid);
  });

  it('shuts down and exits cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, `server stderr:\n${stderr}`);
  });
});
