/** The packaged .vsix, installed offline into code-server, activates like a user's install. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../vscode/browser';
import { CodeServer, installVsix, startCodeServer } from '../vscode/codeServer';
import { exampleWorkspace, repoRoot } from '../vscode/tools';
import { openPerfLabContainer, openWorkbench, runCommand, screenshot } from '../vscode/workbench';

const vsce = path.join(repoRoot, 'node_modules/.bin/vsce');
const allowed = /^(dist\/|media\/|package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$)/;

describe('the packaged extension', () => {
  let vsix: string;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(() => {
    execFileSync('npm', ['run', 'package', '--silent'], { cwd: repoRoot, stdio: 'pipe' });
    vsix = path.join(repoRoot, 'perf-lab.vsix');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('holds only the allow-listed files, with the bundles and no source maps', () => {
    const files = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.deepEqual(
      files.filter((file) => !allowed.test(file)),
      [],
    );
    for (const bundle of ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/webview/flame.js', 'dist/webview/flame.css', 'media/flame.css', 'dist/webview/deltas.js', 'media/deltas.css']) {
      assert.ok(files.includes(bundle), `${bundle} is missing from the package`);
    }
    assert.deepEqual(
      files.filter((file) => file.endsWith('.map')),
      [],
    );
    // The README's screenshots (PNGs, stored as they are) are most of it; the code must stay small.
    const screenshots = files.filter((file) => file.startsWith('media/readme/')).reduce((sum, file) => sum + statSync(path.join(repoRoot, file)).size, 0);
    const size = statSync(vsix).size;
    assert.ok(size - screenshots < 1_000_000, `the package is ${size} bytes, ${screenshots} of them README screenshots`);
  });

  it('installs offline and activates with its language server', async () => {
    const extensionsDir = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-extensions-'));
    const installLog = await installVsix(vsix, extensionsDir);
    assert.match(installLog, /successfully installed/i);
    assert.ok(readdirSync(extensionsDir).some((name) => name.startsWith('perf-lab.perf-lab-')));

    // No smoke-test driver and no development path: the workbench a user gets.
    server = await startCodeServer({ folder: exampleWorkspace(), extensionsDir });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server);
    await openPerfLabContainer(page);
    await runCommand(page, 'Perf Lab: Show Language Server Status');
    const toast = page.locator('.notification-toast', { hasText: /Perf\sLab\slanguage\sserver\s[\d.]+\sis\srunning/ });
    await toast.waitFor({ timeout: 30_000 });
    await screenshot(page, 'perf-lab-installed-vsix');
  });
});
