/** An experiment judged by callgrind's instruction counts, driven through the UI. */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { exampleWorkspace } from '../vscode/tools';
import { openPerfLabContainer, runCommand, screenshot, waitForProgressToEnd } from '../vscode/workbench';
import { workbenchSession } from './session';

describe('instruction counts in the workbench', () => {
  before(function () {
    if (!existsSync(path.join(exampleWorkspace(), 'rust/target/release/wordfreq'))) this.skip();
  });
  const session = workbenchSession(
    {
      settings: {
        'perfLab.experiments.directory': '.perf-lab/e2e-experiments',
        'perfLab.experiments.instructions': 'decide',
        // The counts decide; two timed runs a side keep the test short.
        'perfLab.experiments.runsPerSide': 2,
      },
    },
    openPerfLabContainer,
  );
  let page: Page;
  before(() => (page = session.page));

  it('counts the wordfreq command on each side and shows the counts in the before/after panel', async function () {
    // Two sides of builds, timed runs and callgrind counts: 80 s on a quiet machine, 270 s seen on a busy one.
    this.timeout(480_000);
    await runCommand(page, 'Perf Lab: New Experiment…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input').fill('wordfreq');
    await widget.locator('.monaco-list-row', { hasText: 'perfLab.commands' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await widget.locator('input').fill('Count the unchanged wordfreq');
    await page.keyboard.press('Enter');
    const status = page.locator('.statusbar-item', { hasText: /\d{3}-count-the-unchanged-wordfreq/ });
    await status.filter({ hasText: '0 runs' }).waitFor({ timeout: 30_000 });
    await runCommand(page, 'Perf Lab: Record Baseline');
    // Done when its progress (two timed runs, then the count) ends; the count is not a run.
    await waitForProgressToEnd(page, /Perf Lab: baseline of \d{3}-count-the-unchanged-wordfreq/, 200_000);
    assert.match((await status.textContent())!, /· 2 runs$/);
    await runCommand(page, 'Perf Lab: Run Candidate');
    await waitForProgressToEnd(page, /Perf Lab: candidate of \d{3}-count-the-unchanged-wordfreq/, 200_000);
    assert.match((await status.textContent())!, /· 4 runs$/);
    await runCommand(page, 'Perf Lab: Compare Experiment');
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const rows = panel.locator('table.instructions tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    assert.equal(await rows.count(), 3);
    const heavy = await panel.locator('table.instructions tbody tr', { hasText: 'input=heavy' }).locator('td').allTextContents();
    // A command benchmark's rows are named by the benchmark and its parameter, not by the command line.
    assert.equal(heavy[0], 'wordfreq input=heavy');
    assert.match(heavy[1]!, /^\d{1,3}(,\d{3})+$/);
    // The same code counts the same instructions: no change, DISCARD.
    const count = (text: string) => Number(text.replace(/,/g, ''));
    assert.ok(Math.abs(count(heavy[2]!) / count(heavy[1]!) - 1) < 1e-4, heavy.join(' | '));
    assert.match(heavy[3]!, /^[+-]?0\.00%$/);
    assert.equal(heavy[4], 'DISCARD');
    assert.match((await panel.locator('p.instructions-note').textContent())!, /These counts decide the verdict/);
    assert.equal(await panel.locator('.header .badge').textContent(), 'DISCARD');
    await screenshot(page, 'perf-lab-instructions');
  });
});
