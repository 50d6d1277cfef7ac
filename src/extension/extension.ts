import * as vscode from 'vscode';
import { perfLabVersion } from '../core/version';
import { registerCommands } from './commands';
import { PerfLabLanguageServer } from './languageServer';
import { registerPlaceholderViews } from './placeholderViews';

/** Wires the features together; each lives in its own module. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Perf Lab', { log: true });
  context.subscriptions.push(output);
  output.info(`Perf Lab ${perfLabVersion} activating (workspace trusted: ${vscode.workspace.isTrusted})`);

  const server = new PerfLabLanguageServer(context, output);
  context.subscriptions.push(server);
  context.subscriptions.push(...registerCommands({ server, output }), ...registerPlaceholderViews());

  try {
    await server.start();
  } catch (error) {
    // Activation still succeeds: the commands stay usable and say what went wrong.
    output.error(`the language server did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
