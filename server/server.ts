/**
 * The Perf Lab language server. It owns the heavy state (profiles, idea documents, benchmarks)
 * so that parsing never runs on the extension host. Started by the extension over IPC and by the
 * tests over stdio (`node dist/server.js --stdio`).
 */
import {
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { IdeaEditRequest, IdeasChangedNotification, IdeasRequest, NewIdeaRequest, ServerInfo, ServerInfoRequest } from '../src/protocol/lsp';
import { perfLabVersion } from '../src/core/version';
import { IdeasService, IdeasSettings, toPath } from './ideasService';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const startedAt = Date.now();
let workspaceFolders: string[] = [];
let canReadConfiguration = false;
let canRefreshCodeLenses = false;

const ideas = new IdeasService({
  openText: (uri) => {
    const file = toPath(uri);
    return documents.all().find((document) => toPath(document.uri) === file)?.getText();
  },
});

connection.onInitialize((params) => {
  workspaceFolders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
  if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
  canReadConfiguration = params.capabilities.workspace?.configuration === true;
  canRefreshCodeLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  ideas.setRoots(workspaceFolders.filter((uri) => uri.startsWith('file:')));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeLensProvider: { resolveProvider: false },
      documentLinkProvider: { resolveProvider: false },
      completionProvider: { triggerCharacters: ['|', ' '] },
      codeActionProvider: true,
    },
    serverInfo: { name: 'perf-lab-server', version: perfLabVersion },
  };
});

connection.onInitialized(async () => {
  connection.console.info(
    `Perf Lab language server ${perfLabVersion} started (pid ${process.pid}, Node ${process.version}) ` +
      `for ${workspaceFolders.length ? workspaceFolders.join(', ') : 'no workspace folder'}`,
  );
  if (canReadConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  await reloadIdeas();
});

/** Reads the settings, rescans the workspace and tells the client. */
async function reloadIdeas(): Promise<void> {
  const started = Date.now();
  ideas.configure(await ideasSettings());
  ideas.rescan();
  const { documents: count, ideas: total } = ideas.counts;
  connection.console.info(`ideas: ${total} in ${count} documents (${Date.now() - started} ms)`);
  ideasChanged();
}

async function ideasSettings(): Promise<Partial<IdeasSettings>> {
  if (!canReadConfiguration) return {};
  const settings = (await connection.workspace.getConfiguration('perfLab.ideas')) as Partial<IdeasSettings> | null;
  return settings ?? {};
}

const published = new Set<string>();
let changeTimer: NodeJS.Timeout | undefined;

/** Publishes diagnostics and tells the client to refresh its views and lenses (debounced). */
function ideasChanged(): void {
  clearTimeout(changeTimer);
  changeTimer = setTimeout(() => {
    const current = new Set(ideas.list().map((document) => document.uri));
    for (const uri of current) void connection.sendDiagnostics({ uri, diagnostics: ideas.diagnostics(uri) });
    for (const uri of published) if (!current.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    published.clear();
    current.forEach((uri) => published.add(uri));
    void connection.sendNotification(IdeasChangedNotification.type);
    if (canRefreshCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
  }, 150);
}

documents.onDidChangeContent(({ document }) => {
  if (ideas.refresh(document.uri)) ideasChanged();
});
documents.onDidClose(({ document }) => {
  // Back to the file on disk (the editor may have closed without saving).
  if (ideas.refresh(document.uri)) ideasChanged();
});
connection.onDidChangeWatchedFiles(({ changes }) => {
  // New or deleted files change what locations resolve to: rescan. Edits only reread the file.
  if (changes.some((change) => change.type !== 2)) void reloadIdeas();
  else if (changes.map((change) => ideas.refresh(change.uri)).some(Boolean)) ideasChanged();
});
connection.onDidChangeConfiguration(() => void reloadIdeas());

connection.onRequest(ServerInfoRequest.type, (): ServerInfo => ({
  name: 'perf-lab-server',
  version: perfLabVersion,
  pid: process.pid,
  node: process.version,
  startedAt: new Date(startedAt).toISOString(),
  uptimeMs: Date.now() - startedAt,
  workspaceFolders,
  openDocuments: documents.keys(),
  ideas: ideas.counts,
}));
connection.onRequest(IdeasRequest.type, () => ideas.list());
connection.onRequest(IdeaEditRequest.type, (params) => ideas.edit(params));
connection.onRequest(NewIdeaRequest.type, (params) => ideas.newIdea(params));
connection.onCodeLens(({ textDocument }) => ideas.codeLenses(textDocument.uri));
connection.onDocumentLinks(({ textDocument }) => ideas.documentLinks(textDocument.uri));
connection.onCompletion(({ textDocument, position }) => ideas.completion(textDocument.uri, position));
connection.onCodeAction(({ textDocument, context }) => ideas.codeActions(textDocument.uri, context.diagnostics));

documents.listen(connection);
connection.listen();
