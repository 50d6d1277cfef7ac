/**
 * Starts a real VS Code (code-server) for the tests and for `npm start`, in its own process group
 * so that everything it started (extension hosts outlive the browser) goes away with it.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { findTools } from './tools';

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  folder: string;
  /** Enables the smoke-test driver, which the workbench needs to read a test `payload`. */
  smokeTestDriver?: boolean;
  /** Leave Workspace Trust on (off by default so tests are not asked). */
  workspaceTrust?: boolean;
  extensionsDir?: string;
  /** Extra environment for the server, inherited by extension hosts. */
  env?: Record<string, string>;
  host?: string;
  port?: number;
  /** User settings besides the quiet defaults. */
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly folder: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  /** The workbench URL for the folder, with an optional test payload. */
  workbenchUrl(payload?: [string, string][]): string;
  /** A `vscode-remote://` URI for a path on this machine, as the workbench wants in payloads. */
  remoteUri(fsPath: string): string;
  log(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** User settings that keep a test workbench quiet and deterministic. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.openRepositoryInParentFolders': 'never',
};

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const tools = findTools();
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const base = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-code-server-'));
  const userDataDir = path.join(base, 'user');
  const extensionsDir = options.extensionsDir ?? path.join(base, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
  const logFile = path.join(base, 'code-server.log');
  const args = [
    tools.codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `${host}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    options.folder,
  ];
  const logFd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(tools.node24, args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      // Otherwise code-server asks an extension gallery on the internet.
      EXTENSIONS_GALLERY: '{}',
      PATH: `${path.dirname(tools.node24)}:${process.env.PATH ?? ''}`,
      ...options.env,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://${host}:${port}`;
  const log = () => readFileSync(logFile, 'utf8');

  const stop = async () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    killGroup(child.pid, 'SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
    if (!stopped) killGroup(child.pid, 'SIGKILL');
    killGroup(child.pid, 'SIGKILL'); // extension hosts and language servers left in the group
  };

  try {
    await waitForHealth(url, child, log);
  } catch (error) {
    await stop();
    throw error;
  }

  const remoteUri = (fsPath: string) => `vscode-remote://${host}:${port}${fsPath}`;
  return {
    url,
    host,
    port,
    folder: options.folder,
    extensionsDir,
    logFile,
    remoteUri,
    workbenchUrl: (payload) => {
      // A .code-workspace file opens as a (multi-root) workspace, anything else as a folder.
      let query = `${options.folder.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(options.folder)}`;
      if (payload) query += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return `${url}/?${query}`;
    },
    log,
    stop,
  };
}

/** Installs a packaged extension offline into an extensions folder. */
export async function installVsix(vsix: string, extensionsDir: string): Promise<string> {
  const tools = findTools();
  const { stdout, stderr } = await promisify(execFile)(tools.node24, [tools.codeServerEntry, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env: { ...process.env, EXTENSIONS_GALLERY: '{}' },
    timeout: 60_000,
  });
  return stdout + stderr;
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await delay(200);
  }
  throw new Error(`code-server did not answer ${url}/healthz within 30 s:\n${log()}`);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
