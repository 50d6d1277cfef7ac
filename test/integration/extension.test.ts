import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PerfLabApi } from '../../src/extension/extension';
import { PerfLabLanguageServer } from '../../src/extension/languageServer';
import { IdeasRequest, type ServerInfo } from '../../src/protocol/lsp';
import { waitFor } from './waitFor';

const extensionId = 'perf-lab.perf-lab';

async function serverInfo(): Promise<ServerInfo> {
  return await vscode.commands.executeCommand<ServerInfo>('perfLab.showServerInfo');
}

describe('Perf Lab in a real VS Code', () => {
  const extension = () => {
    const found = vscode.extensions.getExtension(extensionId);
    assert.ok(found, `${extensionId} is not loaded`);
    return found;
  };

  it('activates by itself on the native-core workspace', async () => {
    // Nothing here calls activate(): the workspaceContains activation events must do it.
    await waitFor('activation', () => (extension().isActive ? true : undefined));
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.equal(folder && path.basename(folder.uri.fsPath), 'native-core');
  });

  it('registers every command it contributes', async () => {
    const contributed: { command: string }[] = extension().packageJSON.contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((entry) => entry.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
    assert.ok(contributed.length >= 3);
  });

  it('answers perfLab/serverInfo from the language server process', async () => {
    const info = await serverInfo();
    assert.equal(info.version, extension().packageJSON.version);
    assert.notEqual(info.pid, process.pid, 'the server runs in its own process, not the extension host');
    assert.deepEqual(
      info.workspaceFolders,
      vscode.workspace.workspaceFolders?.map((folder) => folder.uri.toString()),
    );
  });

  it('syncs opened idea documents to the server', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'docs/perf/ideas.md'));
    await vscode.window.showTextDocument(document);
    await waitFor('the server to see the document', async () => ((await serverInfo()).openDocuments.includes(document.uri.toString()) ? true : undefined));
  });

  it('restarts a language server that was killed, with its state back', async () => {
    const before = await serverInfo();
    const openUri = vscode.window.activeTextEditor?.document.uri.toString();
    assert.ok(openUri, 'the previous test left an idea document open');
    process.kill(before.pid, 'SIGKILL');
    const after = await waitFor('a new server process', async () => {
      const info = await serverInfo();
      return info.pid !== before.pid ? info : undefined;
    });
    assert.equal(after.version, before.version);
    // The restarted server gets the open documents again (right after it reports running), so
    // features built on them come back.
    await waitFor(`${openUri} re-synced to the new server`, async () => ((await serverInfo()).openDocuments.includes(openUri) ? true : undefined));
  });

  it('restarts the server on request, every loaded profile back and the active one still active', async () => {
    const api = vscode.extensions.getExtension<PerfLabApi>('perf-lab.perf-lab')!.exports;
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const files = ['restart-first.folded', 'restart-second.folded'].map((name) => vscode.Uri.joinPath(folder, '.perf-lab', 'profiles', name));
    for (const [index, file] of files.entries()) {
      await vscode.workspace.fs.writeFile(file, Buffer.from(`main;work${index} ${index + 1}\n`));
      await api.profiles.open(file);
    }
    const loaded = () => api.profiles.getChildren().map((profile) => `${path.basename(profile.path)}${profile.active ? ' (active)' : ''}`);
    const listed = loaded();
    assert.ok(listed.includes('restart-first.folded') && listed.includes('restart-second.folded (active)'), listed.join(', '));
    const before = await serverInfo();
    await vscode.commands.executeCommand('perfLab.restartServer');
    const after = await waitFor('a restarted server', async () => {
      const info = await serverInfo();
      return info.pid !== before.pid ? info : undefined;
    });
    assert.ok(Date.parse(after.startedAt) >= Date.parse(before.startedAt));
    const restored = await waitFor('the profiles loaded again', () => (loaded().length === listed.length ? loaded() : undefined));
    assert.deepEqual([...restored].sort(), [...listed].sort());
  });
});

describe('a language server that cannot start', () => {
  it('says so once and its requests reject instead of waiting for ever', async function () {
    this.timeout(60_000);
    // The real client, given a server module that does not exist (a broken install).
    const output = vscode.window.createOutputChannel('Perf Lab (broken server test)', { log: true });
    const context = { asAbsolutePath: () => path.join(__dirname, 'no-such-server.js') } as unknown as vscode.ExtensionContext;
    const broken = new PerfLabLanguageServer(context, output);
    try {
      await assert.rejects(broken.start());
      const started = Date.now();
      await assert.rejects(broken.request(IdeasRequest.type), /perfLab\/ideas: the Perf Lab language server is not running/);
      assert.ok(Date.now() - started < 5_000, 'rejected at once, not after a wait');
    } finally {
      await broken.dispose().catch(() => undefined);
      // The channel stays: the client still logs its dead child's exit into it, and a disposed
      // channel throws into whatever test runs then.
    }
  });
});
