/** Edits the language server computes, applied through VS Code: an open editor's unsaved changes stay, undo works. */
import * as vscode from 'vscode';
import type { PerfLabLanguageServer } from './languageServer';

/**
 * Applies a server edit through VS Code, so an open editor's unsaved changes stay and undo
 * works. A document that had no unsaved changes is saved again, so it stays clean.
 */
export async function applyServerEdit(server: PerfLabLanguageServer, uri: string, edit: Parameters<PerfLabLanguageServer['client']['protocol2CodeConverter']['asWorkspaceEdit']>[0]): Promise<boolean> {
  const target = vscode.Uri.parse(uri);
  const before = vscode.workspace.textDocuments.find((document) => document.uri.toString() === target.toString());
  const wasDirty = before?.isDirty ?? false;
  const workspaceEdit = await server.client.protocol2CodeConverter.asWorkspaceEdit(edit);
  const applied = workspaceEdit !== undefined && (await vscode.workspace.applyEdit(workspaceEdit));
  if (!applied) {
    void vscode.window.showErrorMessage(`Perf Lab could not edit ${vscode.workspace.asRelativePath(target)}.`);
    return false;
  }
  const edited = await vscode.workspace.openTextDocument(target);
  if (!wasDirty && edited.isDirty && !(await saveAndCheck(edited))) {
    void vscode.window.showWarningMessage(`Perf Lab edited ${vscode.workspace.asRelativePath(target)} but could not save it; the change is in the editor.`);
    return false;
  }
  return true;
}

/**
 * Saves a document and checks that the file on disk now holds its text: under load a save was
 * seen to leave the file as it was. Tried three times; false when the file never matched.
 */
async function saveAndCheck(document: vscode.TextDocument): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await document.save();
    const disk = Buffer.from(await vscode.workspace.fs.readFile(document.uri))
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    if (disk === document.getText()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
