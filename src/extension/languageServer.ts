import * as vscode from 'vscode';
import { CloseAction, ErrorAction, ErrorHandler, LanguageClient, LanguageClientOptions, RequestType, RequestType0, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { IdeasChangedNotification, ServerInfo, ServerInfoRequest, sourceLanguageIds } from '../protocol/lsp';

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
      errorHandler: restartingErrorHandler(output),
      documentSelector: ['markdown', ...sourceLanguageIds].map((language) => ({ scheme: 'file', language })),
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
      this.client.onDidChangeState(({ oldState, newState }) => output.info(`language server ${stateNames[oldState]} → ${stateNames[newState]}`)),
      this.ideasChanged,
      // The client keeps one handler per notification (a second replaces the first): one here, many listeners.
      this.client.onNotification(IdeasChangedNotification.type, () => this.ideasChanged.fire()),
    );
  }

  private readonly ideasChanged = new vscode.EventEmitter<void>();
  /** The idea documents, or the results their targets are judged by, changed. */
  readonly onIdeasChanged = this.ideasChanged.event;

  /** Why the server could not start, once it failed: requests reject with it instead of waiting. */
  private startFailure: string | undefined;

  /** Starts the server; a failure is shown once, with the output, and later requests reject. */
  async start(): Promise<void> {
    try {
      await this.client.start();
      this.startFailure = undefined;
    } catch (error) {
      this.startFailure = errorText(error);
      this.output.error(`the language server did not start: ${this.startFailure}`);
      const show = 'Show Output';
      void vscode.window
        .showErrorMessage(`Perf Lab: the language server did not start (${this.startFailure}). Ideas, profiles and benchmarks need it; "Perf Lab: Restart Language Server" tries again.`, show)
        .then((choice) => {
          if (choice === show) this.output.show(true);
        });
      throw error;
    }
  }

  async restart(): Promise<void> {
    if (this.startFailure !== undefined || this.client.state === State.StartFailed) return this.start();
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
    if (this.client.state !== State.Running) await this.whenRunning(type.method);
    // The overloads of sendRequest cannot be chosen through this generic signature.
    const client = this.client as unknown as { sendRequest(type: unknown, params?: unknown): Promise<R> };
    return params === undefined ? client.sendRequest(type) : client.sendRequest(type, params);
  }

  /** Waits for a starting or restarting server; rejects once it failed to start. */
  private whenRunning(method: string): Promise<void> {
    const failed = () => new Error(`${method}: the Perf Lab language server is not running (${this.startFailure ?? 'it stopped'}); see the Perf Lab output`);
    if (this.startFailure !== undefined || this.client.state === State.StartFailed) return Promise.reject(failed());
    return new Promise((resolve, reject) => {
      const listener = this.client.onDidChangeState(({ newState }) => {
        if (newState === State.Running) {
          listener.dispose();
          resolve();
        } else if (newState === State.StartFailed) {
          listener.dispose();
          reject(failed());
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

/**
 * Writes to a server that just died fail (EPIPE); the default handler shuts the client down after
 * three of them, and a busy client (ideas rescanned, lenses refreshed) then never restarts the
 * server. Connection errors are let pass: the closed connection decides, restarting the server
 * up to 4 times in 3 minutes, as the default does.
 */
function restartingErrorHandler(output: vscode.LogOutputChannel): ErrorHandler {
  const restarts: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      const now = Date.now();
      while (restarts.length && now - restarts[0]! > 3 * 60_000) restarts.shift();
      if (restarts.length >= 4) {
        output.error('the language server stopped 5 times in 3 minutes; it is not restarted ("Perf Lab: Restart Language Server" starts it)');
        return { action: CloseAction.DoNotRestart, message: 'The Perf Lab language server stopped 5 times in 3 minutes and is not restarted. See the Perf Lab output.' };
      }
      restarts.push(now);
      return { action: CloseAction.Restart, handled: true };
    },
  };
}
