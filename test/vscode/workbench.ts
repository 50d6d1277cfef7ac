/** Opening the workbench in Chromium and finding Perf Lab's parts in it. */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { viewport } from './browser';
import type { CodeServer } from './codeServer';
import { repoRoot, testResultsFolder } from './tools';

/** Opens the workbench; with `developPerfLab`, this repository is loaded as the extension under development. */
export async function openWorkbench(browser: Browser, server: CodeServer, options: { developPerfLab?: boolean } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const payload: [string, string][] | undefined = options.developPerfLab ? [['extensionDevelopmentPath', server.remoteUri(repoRoot)]] : undefined;
  await page.goto(server.workbenchUrl(payload));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

export async function openPerfLabContainer(page: Page): Promise<void> {
  const entry = page.locator('.part.activitybar a.action-label[aria-label^="Perf Lab"]');
  await entry.waitFor({ timeout: 60_000 });
  await entry.click();
  await page.locator('.part.sidebar .composite.title', { hasText: /perf lab/i }).waitFor({ timeout: 30_000 });
}

/** The document inside the (one) webview panel open, e.g. the flame graph. */
export function flameFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Runs a command from the palette by its title, e.g. "Perf Lab: Show Output". */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // Focus going back to a webview or a view after an earlier pick closes can close the palette
  // just opened (seen as "element is inert" in fill): then it is opened again.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 10_000 });
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      // Enter goes to whatever has focus: only press it while the palette has it.
      if (!(await input.evaluate((element) => element === element.ownerDocument.activeElement))) throw new Error(`the palette lost focus before "${title}" was run`);
      await page.keyboard.press('Enter');
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.waitForTimeout(500);
    }
  }
}

/**
 * Waits for a progress notification whose text matches `title` to appear and then to end, in
 * the notification centre (a progress toast can hide before its work is done).
 */
export async function waitForProgressToEnd(page: Page, title: RegExp, timeoutMs: number): Promise<void> {
  await runCommand(page, 'Notifications: Show Notifications');
  const progress = page.locator('.notification-list-item', { hasText: title });
  try {
    await progress.waitFor({ timeout: 60_000 });
  } catch (error) {
    // Say what was shown instead (an error, a warning, a question), for a failure seen only in CI.
    const shown = await page.locator('.notification-list-item').allTextContents();
    throw new Error(`no notification matching ${title} within 60 s; notifications shown: ${JSON.stringify(shown)}\n${(error as Error).message}`);
  }
  await progress.waitFor({ state: 'detached', timeout: timeoutMs });
  // The centre closes by itself once it is empty.
  if (await page.locator('.notifications-center.visible').count()) await runCommand(page, 'Notifications: Hide Notifications');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(testResultsFolder, { recursive: true });
  const file = path.join(testResultsFolder, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * A notification, looked for in the centre (a toast can hide before it is looked at), opened
 * again when a webview taking focus closed it; on failure, what was shown instead.
 */
export async function notification(page: Page, text: RegExp, timeout: number): Promise<Locator> {
  const item = page.locator('.notifications-center .notification-list-item', { hasText: text });
  const end = Date.now() + timeout;
  while (!(await item.count())) {
    if (Date.now() > end) {
      const shown = await page.locator('.notification-list-item').allTextContents();
      throw new Error(`no notification matching ${text} within ${timeout / 1000} s; shown: ${JSON.stringify(shown)}`);
    }
    if (!(await page.locator('.notifications-center.visible').count())) await runCommand(page, 'Notifications: Show Notifications');
    await page.waitForTimeout(1000);
  }
  return item;
}

export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  if (await page.locator('.notifications-center.visible').count()) await runCommand(page, 'Notifications: Hide Notifications');
}
