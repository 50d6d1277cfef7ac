import * as vscode from 'vscode';
import { perfLabVersion } from '../core/version';
import { registerCommands } from './commands';
import { IdeasView } from './ideasView';
import { PerfLabLanguageServer } from './languageServer';
import { registerPlaceholderViews } from './placeholderViews';

/** What the extension hands to other extensions and to its own integration tests. */
export interface PerfLabApi {
  readonly ideas: IdeasView;
}

/** Wires the features together; each lives in its own module. */
export async function activate(context: vscode.ExtensionContext): Promise<PerfLabApi> {
  const output = vscode.window.createOutputChannel('Perf Lab', { log: true });
  context.subscriptions.push(output);
  output.info(`Perf Lab ${perfLabVersion} activating (workspace trusted: ${vscode.workspace.isTrusted})`);

  const server = new PerfLabLanguageServer(context, output);
  const ideas = new IdeasView(server);
  context.subscriptions.push(server, ideas);
  context.subscriptions.push(...registerCommands({ server, output, ideas }), ...registerPlaceholderViews());

  try {
    await server.start();
    await ideas.reload();
  } catch (error) {
    // Activation still succeeds: the commands stay usable and say what went wrong.
    output.error(`the language server did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ideas };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
