/**
 * The language server in a multi-root workspace: a folder added after start is read like the
 * first (its idea documents and benchmarks), and a folder removed is forgotten.
 */
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeWorkspaceFoldersNotification,
  InitializedNotification,
  InitializeRequest,
  ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { BenchmarksRequest, IdeasChangedNotification, IdeasRequest } from '../../src/protocol/lsp';

const root = path.resolve(__dirname, '../../..');
const example = path.join(root, 'examples/native-core');

describe('language server with workspace folders added and removed', () => {
  let server: ChildProcess;
  let connection: ProtocolConnection;
  let changes = 0;
  const first = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-folder-'));
  mkdirSync(path.join(first, 'docs'), { recursive: true });
  writeFileSync(path.join(first, 'docs/ideas.md'), '# Ideas\n\n| Idea | Status |\n|------|--------|\n| Cache the parser | To do |\n');
  const firstUri = pathToFileURL(first).toString();
  const exampleUri = pathToFileURL(example).toString();

  before(async () => {
    server = spawn(process.execPath, [path.join(root, 'dist/server.js'), '--stdio'], { stdio: 'pipe' });
    connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.onNotification(IdeasChangedNotification.type, () => {
      changes++;
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => null));
    connection.listen();
    // As VS Code declares it: workspace folders, and their changes.
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: firstUri,
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
      workspaceFolders: [{ uri: firstUri, name: 'first' }],
    });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(() => {
    connection.dispose();
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  const ideaTitles = async () => (await connection.sendRequest(IdeasRequest.type)).flatMap((document) => document.ideas.map((idea) => idea.title));

  it('reads the folder it started with', async () => {
    const titles = await until('the first folder', async () => ((await ideaTitles()).length ? ideaTitles() : undefined));
    assert.deepEqual(titles, ['Cache the parser']);
    assert.deepEqual(await connection.sendRequest(BenchmarksRequest.type), []);
  });

  it('reads a folder added later: its ideas and its benchmarks', async () => {
    const before = changes;
    await connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [{ uri: exampleUri, name: 'native-core' }], removed: [] } });
    const titles = await until('the added folder', async () => (changes > before && (await ideaTitles()).length > 1 ? ideaTitles() : undefined));
    assert.ok(titles.includes('Cache the parser'), 'the first folder stays');
    assert.ok(titles.includes('Count words in a HashMap instead of a linear search'), titles.join('\n'));
    const files = (await connection.sendRequest(BenchmarksRequest.type)).map((file) => file.path);
    assert.ok(files.includes('rust/wordfreq/benches/criterion_benches.rs'), files.join('\n'));
    assert.ok(files.includes('cpp/bench/latency_bench.cpp'), files.join('\n'));
  });

  it('forgets a folder removed', async () => {
    const before = changes;
    await connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [{ uri: firstUri, name: 'first' }] } });
    const titles = await until('the folder removed', async () => (changes > before && !(await ideaTitles()).includes('Cache the parser') ? ideaTitles() : undefined));
    assert.ok(titles.includes('Count words in a HashMap instead of a linear search'));
  });
});

describe("language server reading each folder's own settings", () => {
  let server: ChildProcess;
  let connection: ProtocolConnection;
  // A notes folder that keeps its ideas under plans/ and has a status of its own, beside the
  // example with the defaults: each folder's settings apply to its own documents only.
  const notes = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-folder-settings-'));
  mkdirSync(path.join(notes, 'docs'), { recursive: true });
  mkdirSync(path.join(notes, 'plans/q3'), { recursive: true });
  writeFileSync(path.join(notes, 'docs/ideas.md'), '# Ideas\n\n| Idea | Status |\n|------|--------|\n| Not an idea document here | To do |\n');
  writeFileSync(path.join(notes, 'plans/q3/ideas.md'), '# Q3\n\n| Idea | Status |\n|------|--------|\n| Batch the writes | Parked |\n');
  const notesUri = pathToFileURL(notes).toString();
  const exampleUri = pathToFileURL(example).toString();
  const asked: string[] = [];

  before(async () => {
    server = spawn(process.execPath, [path.join(root, 'dist/server.js'), '--stdio'], { stdio: 'pipe' });
    connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    // As VS Code answers: a resource-scoped setting for the folder asked about (scopeUri).
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        asked.push(`${item.section}@${item.scopeUri ?? ''}`);
        return item.scopeUri === notesUri && item.section === 'perfLab.ideas' ? { documents: ['plans/**/*.md'], statuses: ['Parked'] } : null;
      }),
    );
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: notesUri,
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
      workspaceFolders: [
        { uri: notesUri, name: 'notes' },
        { uri: exampleUri, name: 'native-core' },
      ],
    });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(() => {
    connection.dispose();
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  it("reads the notes folder's idea documents by its globs and the example's by the defaults", async () => {
    let documents: { uri: string; statuses: string[]; ideas: { title: string }[] }[] = [];
    for (let i = 0; i < 200 && documents.length < 2; i++) {
      documents = await connection.sendRequest(IdeasRequest.type);
      if (documents.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const titles = documents.flatMap((document) => document.ideas.map((idea) => idea.title));
    assert.ok(titles.includes('Batch the writes'), titles.join('\n'));
    assert.ok(!titles.includes('Not an idea document here'), 'docs/ideas.md is not among the notes folder’s idea documents');
    assert.ok(titles.includes('Count words in a HashMap instead of a linear search'), 'the example keeps the default idea documents');
    const plan = documents.find((document) => document.uri.endsWith('plans/q3/ideas.md'))!;
    const exampleIdeas = documents.find((document) => document.uri.startsWith(exampleUri))!;
    assert.ok(plan.statuses.includes('Parked'));
    assert.ok(!exampleIdeas.statuses.includes('Parked'), "the notes folder's status is not the example's");
    assert.ok(asked.includes(`perfLab.ideas@${notesUri}`) && asked.includes(`perfLab.ideas@${exampleUri}`), asked.join('\n'));
  });
});
