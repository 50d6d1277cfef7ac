import * as vscode from 'vscode';
import { formatDuration, plural } from '../core/format';
import { ServerInfo } from '../protocol/lsp';
import { PerfLabLanguageServer } from './languageServer';

/** What every command may use. */
export interface CommandContext {
  readonly server: PerfLabLanguageServer;
  readonly output: vscode.LogOutputChannel;
}

type CommandFactory = (context: CommandContext) => (...args: unknown[]) => unknown;

/** Every Perf Lab command, by the id package.json contributes. */
export const commandTable = {
  'perfLab.showServerInfo': (context) => async (): Promise<ServerInfo> => {
    const info = await context.server.info();
    const summary = describeServer(info);
    context.output.info(summary);
    void vscode.window.showInformationMessage(summary);
    return info;
  },
  'perfLab.restartServer': (context) => async (): Promise<void> => {
    context.output.info('restarting the language server on request');
    await context.server.restart();
  },
  'perfLab.showOutput': (context) => (): void => context.output.show(true),
} satisfies Record<string, CommandFactory>;

export type CommandId = keyof typeof commandTable;

export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, factory]) =>
    vscode.commands.registerCommand(id, (factory as CommandFactory)(context)),
  );
}

function describeServer(info: ServerInfo): string {
  return (
    `Perf Lab language server ${info.version} is running (pid ${info.pid}, Node ${info.node}, ` +
    `up ${formatDuration(info.uptimeMs)}, ${plural(info.openDocuments.length, 'open document')}).`
  );
}
