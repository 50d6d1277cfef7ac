/** The exported flame-graph file in real Chromium: frames drawn, HTML-like names as text, no script run. */
import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { evilNames, exportEvilFlameGraph } from '../fixtures/evilFlame';
import { launchBrowser, viewport } from '../vscode/browser';
import { screenshot } from '../vscode/workbench';

describe('the exported flame graph', () => {
  let browser: Browser;

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  it('draws in a browser with symbol names as text and no dialog', async () => {
    const file = await exportEvilFlameGraph();
    const page = await browser.newPage({ viewport });
    const dialogs: string[] = [];
    const violations: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(pathToFileURL(file).toString());
    for (const name of evilNames) await page.locator('.d3-flame-graph-label', { hasText: name }).first().waitFor();
    assert.equal(await page.locator('.chart img').count(), 0);
    await page.locator('input.search').fill('onerror');
    await page
      .locator('g', { has: page.locator('.d3-flame-graph-label', { hasText: evilNames[0]! }) })
      .locator('rect[fill="#E600E6"]')
      .first()
      .waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(violations, [], 'the file works under its own CSP');
    await screenshot(page, 'perf-lab-exported-flame');
  });
});
