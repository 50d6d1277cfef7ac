/**
 * The Perf Lab language server. It owns the heavy state (profiles, idea documents, benchmarks)
 * so that parsing never runs on the extension host. Started by the extension over IPC and by the
 * tests over stdio (`node dist/server.js --stdio`).
 */
import {
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  BenchmarkResultsRequest,
  RecordTargetRequest,
  TargetsRequest,
  BenchmarkRunningRequest,
  BenchmarksRequest,
  FlameTreeRequest,
  FunctionSourceRequest,
  IdeaEditRequest,
  IdeasChangedNotification,
  IdeasRequest,
  LineHeatRequest,
  LoadProfileRequest,
  NewIdeaRequest,
  ProfilesChangedNotification,
  ProfilesRequest,
  ServerInfo,
  ServerInfoRequest,
  SetActiveProfileRequest,
  SetBenchmarkBaselineRequest,
  sourceLanguageIds,
} from '../src/protocol/lsp';
import { perfLabVersion } from '../src/core/version';
import { BenchmarksService } from './benchmarksService';
import { hotPathsPrefixMap, toPath, WorkspaceFolders } from './folders';
import { IdeasService } from './ideasService';
import { ProfilesService } from './profilesService';
import { TargetsService } from './targetsService';

const connection = createConnection(ProposedFeatures.all);
// A failure in one request must never take the server down: log it and keep serving.
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
const documents = new TextDocuments(TextDocument);
const startedAt = Date.now();

/** What the client said it can do (at initialize). */
const client = { readsConfiguration: false, refreshesCodeLenses: false, followsFolders: false };
const folders = new WorkspaceFolders();
/** The last reload of the settings and the workspace: requests that need fresh settings wait for it. */
let reloaded: Promise<void> = Promise.resolve();

const source = {
  openText: (uri: string) => {
    const file = toPath(uri);
    return documents
      .all()
      .find((document) => toPath(document.uri) === file)
      ?.getText();
  },
};
const ideas = new IdeasService(source, folders);
const benchmarks = new BenchmarksService(folders);
const profiles = new ProfilesService(folders, source, ideas);
const targets = new TargetsService(ideas, benchmarks, folders, source);

connection.onInitialize((params) => {
  const uris = (params.workspaceFolders ?? []).map((folder) => folder.uri);
  folders.set(uris.length === 0 && params.rootUri ? [params.rootUri] : uris);
  client.readsConfiguration = params.capabilities.workspace?.configuration === true;
  client.refreshesCodeLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  client.followsFolders = params.capabilities.workspace?.workspaceFolders === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeLensProvider: { resolveProvider: false },
      documentLinkProvider: { resolveProvider: false },
      completionProvider: { triggerCharacters: ['|', ' '] },
      codeActionProvider: true,
      hoverProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'perf-lab-server', version: perfLabVersion },
  };
});

connection.onInitialized(async () => {
  connection.console.info(
    `Perf Lab language server ${perfLabVersion} started (pid ${process.pid}, Node ${process.version}) ` + `for ${folders.all.length ? folders.all.join(', ') : 'no workspace folder'}`,
  );
  if (client.readsConfiguration) {
    connection.client.register(DidChangeConfigurationNotification.type, undefined).catch((error: unknown) => connection.console.warn(`settings changes will not be seen: ${String(error)}`));
  }
  // A folder added to or removed from a multi-root workspace is read like the first ones
  // (a client without workspace folders never sends the change: asking for it would throw).
  if (client.followsFolders)
    connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
      folders.change(
        added.map((folder) => folder.uri),
        removed.map((folder) => folder.uri),
      );
      benchmarks.forgetFiles();
      reload();
    });
  reload();
  await reloaded;
});

/** Reads every folder's settings, rescans the workspace and tells the client; requests wait for it through `reloaded`. */
function reload(): void {
  reloaded = reloaded
    .then(async () => {
      const started = Date.now();
      await folders.read(connection, client.readsConfiguration, (problem) => connection.console.warn(problem));
      profiles.setPrefixMap(await hotPathsPrefixMap(connection, client.readsConfiguration));
      for (const document of documents.all()) publishHotLines(document.uri, document.languageId);
      ideas.rescan();
      const { documents: count, ideas: total } = ideas.counts;
      connection.console.info(`ideas: ${total} in ${count} documents (${Date.now() - started} ms)`);
      ideasChanged();
    })
    .catch((error: unknown) => connection.console.error(`reading the settings and the workspace failed: ${error instanceof Error ? error.message : String(error)}`));
}

/** Tells the client that profiles changed and source annotations must be redrawn. */
function profilesChanged(): void {
  void connection.sendNotification(ProfilesChangedNotification.type);
  if (client.refreshesCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
  for (const document of documents.all()) publishHotLines(document.uri, document.languageId);
}

const sourceLanguages = new Set<string>(sourceLanguageIds);

/** Hot-line diagnostics of an open source file (empty unless perfLab.hotPaths.diagnostics is on). */
function publishHotLines(uri: string, languageId: string): void {
  if (sourceLanguages.has(languageId)) void connection.sendDiagnostics({ uri, diagnostics: profiles.diagnostics(uri) });
}

/** Publishes the idea documents' diagnostics and tells the client to refresh its views and lenses (debounced). */
const ideasChanged = (() => {
  const published = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const current = new Set(ideas.documentUris());
      const targetProblems = targets.diagnostics();
      for (const uri of current) void connection.sendDiagnostics({ uri, diagnostics: [...ideas.diagnostics(uri), ...(targetProblems.get(uri) ?? [])] });
      for (const uri of published) if (!current.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
      published.clear();
      current.forEach((uri) => published.add(uri));
      void connection.sendNotification(IdeasChangedNotification.type);
      if (client.refreshesCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
    }, 150);
  };
})();

documents.onDidChangeContent(({ document }) => {
  if (ideas.refresh(document.uri)) ideasChanged();
});
documents.onDidOpen(({ document }) => publishHotLines(document.uri, document.languageId));
documents.onDidClose(({ document }) => {
  // Back to the file on disk (the editor may have closed without saving).
  if (ideas.refresh(document.uri)) ideasChanged();
});
connection.onDidChangeWatchedFiles(({ changes }) => {
  // New or deleted files change what locations resolve to: rescan. Edits only reread the file.
  // So does an edit of the methodology document: its thresholds decide the verdicts.
  if (changes.some((change) => change.type !== FileChangeType.Changed)) benchmarks.forgetFiles();
  if (changes.some((change) => change.type !== FileChangeType.Changed || folders.isMethodologyDocument(toPath(change.uri)))) reload();
  else if (changes.map((change) => ideas.refresh(change.uri)).some(Boolean)) ideasChanged();
});
connection.onDidChangeConfiguration(() => reload());

/**
 * A request that fails answers with its own message: vscode-jsonrpc would otherwise send
 * "Request perfLab/… failed with message: …", which the client shows as it is.
 */
function plainErrors<A extends unknown[], R>(handler: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      throw new ResponseError(LSPErrorCodes.RequestFailed, error instanceof Error ? error.message : String(error));
    }
  };
}

connection.onRequest(
  ServerInfoRequest.type,
  plainErrors((): ServerInfo => ({
    name: 'perf-lab-server',
    version: perfLabVersion,
    pid: process.pid,
    node: process.version,
    startedAt: new Date(startedAt).toISOString(),
    uptimeMs: Date.now() - startedAt,
    workspaceFolders: [...folders.all],
    openDocuments: documents.keys(),
    ideas: ideas.counts,
    profiles: profiles.count,
  })),
);
connection.onRequest(
  IdeasRequest.type,
  plainErrors(() => ideas.list()),
);
connection.onRequest(
  IdeaEditRequest.type,
  plainErrors((params) => ideas.edit(params)),
);
connection.onRequest(
  NewIdeaRequest.type,
  plainErrors((params) => ideas.newIdea(params)),
);
connection.onCodeLens(({ textDocument }) => {
  const text = documents.get(textDocument.uri)?.getText();
  return [
    ...(text === undefined ? [] : benchmarks.codeLenses(textDocument.uri, text)),
    ...(text === undefined ? [] : targets.codeLenses(textDocument.uri, text)),
    ...profiles.codeLenses(textDocument.uri),
    ...ideas.codeLenses(textDocument.uri),
  ];
});
connection.onRequest(
  BenchmarksRequest.type,
  plainErrors(async () => {
    // The view asks again right after a change of perfLab.commands, maybe before the server
    // hears of the change: the folders' settings are read afresh for it.
    await reloaded;
    await folders.read(connection, client.readsConfiguration, (problem) => connection.console.warn(problem));
    return benchmarks.list(source);
  }),
);
connection.onRequest(
  SetBenchmarkBaselineRequest.type,
  plainErrors(({ target }) => {
    benchmarks.setBaseline(target);
    if (client.refreshesCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
  }),
);
connection.onRequest(
  BenchmarkRunningRequest.type,
  plainErrors(({ target, running }) => {
    benchmarks.setRunning(target, running);
    if (client.refreshesCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
  }),
);
connection.onRequest(
  BenchmarkResultsRequest.type,
  plainErrors(({ target, results }) => {
    benchmarks.setResults(target, results);
    // Targets linked to it stand differently now: their diagnostics, view and lenses follow.
    ideasChanged();
  }),
);
connection.onRequest(
  TargetsRequest.type,
  plainErrors(async () => {
    await reloaded;
    return targets.list();
  }),
);
connection.onRequest(
  RecordTargetRequest.type,
  plainErrors((params) => targets.recordEdit(params)),
);
connection.onHover(({ textDocument, position }) => profiles.hover(textDocument.uri, position));
connection.onRequest(
  LoadProfileRequest.type,
  plainErrors(async ({ path }) => {
    const started = Date.now();
    // The path mapping as set now: a prefix the user just added applies to this load.
    profiles.setPrefixMap(await hotPathsPrefixMap(connection, client.readsConfiguration));
    const summary = await profiles.load(path);
    connection.console.info(`profile ${path}: ${summary.format}, ${summary.samples} samples, loaded in ${Date.now() - started} ms`);
    profilesChanged();
    return summary;
  }),
);
connection.onRequest(
  ProfilesRequest.type,
  plainErrors(() => profiles.list()),
);
connection.onRequest(
  SetActiveProfileRequest.type,
  plainErrors(({ id }) => {
    profiles.setActive(id);
    profilesChanged();
  }),
);
connection.onRequest(
  LineHeatRequest.type,
  plainErrors(({ uri }) => profiles.lineHeat(uri)),
);
connection.onRequest(
  FlameTreeRequest.type,
  plainErrors((params) => profiles.flameTree(params)),
);
connection.onRequest(
  FunctionSourceRequest.type,
  plainErrors(({ profileId, func }) => profiles.functionSource(profileId, func)),
);
connection.onShutdown(() => profiles.dispose());
connection.onDocumentLinks(({ textDocument }) => ideas.documentLinks(textDocument.uri));
connection.onCompletion(({ textDocument, position }) => ideas.completion(textDocument.uri, position));
connection.onCodeAction(({ textDocument, context }) => ideas.codeActions(textDocument.uri, context.diagnostics));

documents.listen(connection);
connection.listen();
