/**
 * Custom language-server messages, each declared once. Standard LSP features (code lenses,
 * hovers, diagnostics) need no declaration here.
 */
import { RequestType0 } from 'vscode-languageserver-protocol';

/** What the server reports about itself and what it has loaded. */
export interface ServerInfo {
  name: string;
  version: string;
  /** The server's process id: the client shows it, the tests kill it to prove restarts. */
  pid: number;
  /** Node.js version the server runs on. */
  node: string;
  /** When this server process started (ISO 8601). */
  startedAt: string;
  uptimeMs: number;
  /** Workspace folder URIs from `initialize`. */
  workspaceFolders: string[];
  /** Documents the client has opened with the server (markdown, Rust, C, C++). */
  openDocuments: string[];
}

/** Client → server: the server's version and loaded state. */
export namespace ServerInfoRequest {
  export const method = 'perfLab/serverInfo';
  export const type = new RequestType0<ServerInfo, void>(method);
}
