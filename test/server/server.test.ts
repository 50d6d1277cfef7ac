/** The built language server (dist/server.js) over stdio, spoken to by a real LSP connection. */
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ProtocolConnection,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { ServerInfoRequest } from '../../src/protocol/lsp';
import { perfLabVersion } from '../../src/core/version';

const root = path.resolve(__dirname, '../../..');
const workspace = path.join(root, 'examples/native-core');

describe('language server over stdio', () => {
  let server: ChildProcess;
  let connection: ProtocolConnection;
  let stderr = '';

  before(async () => {
    server = spawn(process.execPath, [path.join(root, 'dist/server.js'), '--stdio'], { stdio: 'pipe' });
    server.stderr!.on('data', (chunk) => (stderr += chunk));
    connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
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
      capabilities: {},
      workspaceFolders: [{ uri: folder, name: 'native-core' }],
    });
    assert.deepEqual(result.serverInfo, { name: 'perf-lab-server', version: perfLabVersion });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  it('reports its version, process and workspace through perfLab/serverInfo', async () => {
    const info = await connection.sendRequest(ServerInfoRequest.type);
    assert.equal(info.version, perfLabVersion);
    assert.equal(info.pid, server.pid);
    assert.deepEqual(info.workspaceFolders, [pathToFileURL(workspace).toString()]);
    assert.deepEqual(info.openDocuments, []);
  });

  it('tracks the documents the client opens', async () => {
    const uri = pathToFileURL(path.join(workspace, 'docs/perf/ideas.md')).toString();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'markdown', version: 1, text: '# Ideas\n' },
    });
    const info = await connection.sendRequest(ServerInfoRequest.type);
    assert.deepEqual(info.openDocuments, [uri]);
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
