/**
 * The Perf Lab language server. It owns the heavy state (profiles, idea documents, benchmarks)
 * so that parsing never runs on the extension host. Started by the extension over IPC and by the
 * tests over stdio (`node dist/server.js --stdio`).
 */
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerInfo, ServerInfoRequest } from '../src/protocol/lsp';
import { perfLabVersion } from '../src/core/version';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const startedAt = Date.now();
let workspaceFolders: string[] = [];

connection.onInitialize((params) => {
  workspaceFolders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
  if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
  return {
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: 'perf-lab-server', version: perfLabVersion },
  };
});

connection.onInitialized(() => {
  connection.console.info(
    `Perf Lab language server ${perfLabVersion} started (pid ${process.pid}, Node ${process.version}) ` +
      `for ${workspaceFolders.length ? workspaceFolders.join(', ') : 'no workspace folder'}`,
  );
});

connection.onRequest(ServerInfoRequest.type, (): ServerInfo => ({
  name: 'perf-lab-server',
  version: perfLabVersion,
  pid: process.pid,
  node: process.version,
  startedAt: new Date(startedAt).toISOString(),
  uptimeMs: Date.now() - startedAt,
  workspaceFolders,
  openDocuments: documents.keys(),
}));

documents.listen(connection);
connection.listen();
