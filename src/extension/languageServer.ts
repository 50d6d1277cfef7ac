import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, RequestType, RequestType0, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { ServerInfo, ServerInfoRequest } from '../protocol/lsp';

const stateNames: Record<State, string> = {
  [State.Starting]: 'starting',
  [State.Running]: 'running',
  [State.StartFailed]: 'failed to start',
  [State.Stopped]: 'stopped',
};

/**
 * The Perf Lab language server, run from the bundled `dist/server.js` over IPC. The client's
 * default error handler restarts a server that dies (up to 4 times in 3 minutes), and features
 * come back with it because they all go through `client`.
 */
export class PerfLabLanguageServer implements vscode.Disposable {
  readonly client: LanguageClient;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
  ) {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: ['markdown', 'rust', 'c', 'cpp', 'go'].map((language) => ({ scheme: 'file', language })),
      outputChannel: output,
      synchronize: {
        configurationSection: 'perfLab',
        // Idea documents and the sources their locations point at.
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{md,rs,c,cc,cpp,cxx,h,hh,hpp,go}'),
      },
    };
    // The id makes the client read `perfLab.trace.server`.
    this.client = new LanguageClient('perfLab', 'Perf Lab', serverOptions, clientOptions);
    this.disposables.push(
      this.client.onDidChangeState(({ oldState, newState }) =>
        output.info(`language server ${stateNames[oldState]} → ${stateNames[newState]}`),
      ),
    );
  }

  start(): Promise<void> {
    return this.client.start();
  }

  restart(): Promise<void> {
    return this.client.restart();
  }

  /** Asks the server about itself; waits for a (re)starting server instead of failing. */
  info(): Promise<ServerInfo> {
    return this.request(ServerInfoRequest.type);
  }

  /** Sends a request once the server runs (it may be starting or restarting). */
  request<R>(type: RequestType0<R, void>): Promise<R>;
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  async request<P, R>(type: RequestType0<R, void> | RequestType<P, R, void>, params?: P): Promise<R> {
    if (this.client.state !== State.Running) await this.whenRunning();
    // The overloads of sendRequest cannot be chosen through this generic signature.
    const client = this.client as unknown as { sendRequest(type: unknown, params?: unknown): Promise<R> };
    return params === undefined ? client.sendRequest(type) : client.sendRequest(type, params);
  }

  private whenRunning(): Promise<void> {
    return new Promise((resolve) => {
      const listener = this.client.onDidChangeState(({ newState }) => {
        if (newState === State.Running) {
          listener.dispose();
          resolve();
        }
      });
      if (this.client.state === State.Running) {
        listener.dispose();
        resolve();
      }
    });
  }

  async dispose(): Promise<void> {
    this.disposables.forEach((disposable) => disposable.dispose());
    if (this.client.needsStop()) await this.client.stop();
  }
}

/**
 * An error's message for the user. The server answers with plain messages; one from an older or
 * crashed request path still carries vscode-jsonrpc's "Request … failed with message:" prefix.
 */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Request \S+ failed with (?:message|unhandled exception): /, '');
}
