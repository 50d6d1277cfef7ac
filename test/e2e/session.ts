/**
 * One workbench per e2e suite: code-server on examples/native-core with this repository as the
 * extension under development, Chromium, a screenshot of any failing test, everything stopped
 * afterwards. Call inside a `describe`.
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../vscode/browser';
import { CodeServer, CodeServerOptions, startCodeServer } from '../vscode/codeServer';
import { exampleWorkspace } from '../vscode/tools';
import { openWorkbench, screenshot } from '../vscode/workbench';

export interface WorkbenchSession {
  readonly page: Page;
}

export function workbenchSession(options: Partial<CodeServerOptions> = {}, setUp?: (page: Page) => Promise<void>): WorkbenchSession {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const session = { page: undefined as unknown as Page };

  before(async () => {
    server = await startCodeServer({ folder: exampleWorkspace(), smokeTestDriver: true, ...options });
    browser = await launchBrowser();
    session.page = await openWorkbench(browser, server, { developPerfLab: true });
    await setUp?.(session.page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session.page) await screenshot(session.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  return session;
}
