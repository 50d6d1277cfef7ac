/**
 * `npm start`: the packaged Perf Lab in a real VS Code (code-server) on examples/native-core.
 * Installs perf-lab.vsix (built by `npm start` just before) into a fresh extensions
 * folder, starts code-server in the foreground and prints where to open it.
 *   PERF_LAB_HOST (default 127.0.0.1), PERF_LAB_PORT (default 8080, or a free port when taken)
 *   --smoke: open the workbench in headless Chromium, check Perf Lab is there, and stop.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser } from './browser';
import { freePort, installVsix, startCodeServer } from './codeServer';
import { nativeCoreFolder, repoRoot, testResultsFolder } from './tools';
import { openPerfLabContainer, openWorkbench, runCommand, screenshot } from './workbench';

async function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

function desktopCode(): string | undefined {
  try {
    return execFileSync('bash', ['-c', 'command -v code'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const host = process.env.PERF_LAB_HOST ?? '127.0.0.1';
  const wanted = Number(process.env.PERF_LAB_PORT ?? 8080);
  const port = (await portIsFree(host, wanted)) ? wanted : await freePort();

  const extensionsDir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-demo-extensions-'));
  await installVsix(path.join(repoRoot, 'perf-lab.vsix'), extensionsDir);
  // The example is this repository's own code, so the demo trusts it; a user's folder is asked.
  const server = await startCodeServer({ folder: nativeCoreFolder, extensionsDir, host, port });
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const url = server.workbenchUrl();
  console.log(`\nPerf Lab is running in VS Code (code-server) on examples/native-core:\n\n    ${url}\n`);
  if (host === '127.0.0.1') console.log('On another machine, forward the port first: ssh -L ' + `${port}:127.0.0.1:${port} <this host>`);
  const code = desktopCode();
  if (code) {
    console.log(`A desktop VS Code is on PATH; to use it instead:\n    code --extensionDevelopmentPath="${repoRoot}" "${nativeCoreFolder}"`);
  }
  console.log(`code-server log: ${server.logFile}\nPress Ctrl+C to stop.`);

  if (smoke) {
    const browser = await launchBrowser();
    try {
      const page = await openWorkbench(browser, server);
      await openPerfLabContainer(page);
      await runCommand(page, 'Perf Lab: Show Language Server Status');
      await page.locator('.notification-toast', { hasText: /Perf\sLab\slanguage\sserver/ }).waitFor({ timeout: 30_000 });
      console.log(`smoke check passed; screenshot: ${await screenshot(page, 'npm-start')} (in ${testResultsFolder})`);
    } finally {
      await browser.close();
      await stop();
    }
  }
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
