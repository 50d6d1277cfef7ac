/** Playwright drives the real workbench: what a user sees of Perf Lab. */
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../vscode/browser';
import { CodeServer, startCodeServer } from '../vscode/codeServer';
import { nativeCoreFolder } from '../vscode/tools';
import { openPerfLabContainer, openWorkbench, runCommand, screenshot } from '../vscode/workbench';

describe('the Perf Lab container in the workbench', () => {
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startCodeServer({ folder: nativeCoreFolder, smokeTestDriver: true });
    browser = await launchBrowser();
    page = await openWorkbench(browser, server, { developPerfLab: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens from the activity bar with the Ideas, Benchmarks, Profiles and Experiments views', async () => {
    await openPerfLabContainer(page);
    const headers = page.locator('.part.sidebar .pane-header h3.title');
    await headers.nth(3).waitFor();
    assert.deepEqual(await headers.allTextContents(), ['Ideas', 'Benchmarks', 'Profiles', 'Experiments']);
    // Each view shows its welcome text with an action while its feature has no content.
    const welcome = page.locator('.part.sidebar .welcome-view-content');
    await welcome.first().waitFor();
    assert.match((await welcome.first().textContent()) ?? '', /ideas from your optimization documents/);
    await screenshot(page, 'perf-lab-views');
  });

  it('shows the language server status in the Perf Lab output', async () => {
    await runCommand(page, 'Perf Lab: Show Language Server Status');
    await runCommand(page, 'Perf Lab: Show Output');
    // Monaco renders spaces as non-breaking spaces: match them with \s.
    const statusLine = /Perf\sLab\slanguage\sserver\s[\d.]+\sis\srunning\s\(pid\s\d+/;
    await page.locator('.part.panel .view-line', { hasText: statusLine }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'perf-lab-output');
  });
});
