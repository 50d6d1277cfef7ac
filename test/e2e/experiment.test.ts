/** An experiment driven through the UI, ending in the before/after panel. */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { nativeCoreFolder } from '../vscode/tools';
import { openPerfLabContainer, runCommand, screenshot } from '../vscode/workbench';
import { workbenchSession } from './session';

describe('an experiment in the workbench', () => {
  before(function () {
    if (!existsSync(path.join(nativeCoreFolder, 'rust/target/release'))) this.skip();
  });
  const session = workbenchSession(
    {
      settings: {
        'perfLab.benchmarks.criterionArgs': ['--warm-up-time', '1', '--measurement-time', '1', '--noplot'],
        'perfLab.experiments.directory': '.perf-lab/e2e-experiments',
      },
    },
    openPerfLabContainer,
  );
  let page: Page;
  before(() => (page = session.page));

  it('runs baseline and candidate from the palette and shows the before/after panel', async () => {
    await runCommand(page, 'Perf Lab: New Experiment…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input').fill('shard_of');
    await widget.locator('.monaco-list-row', { hasText: 'shard_of' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await widget.locator('input').fill('Inline the salt hash (no change yet)');
    await page.keyboard.press('Enter');
    const status = page.locator('.statusbar-item', { hasText: /\d{3}-inline-the-salt-hash/ });
    await status.filter({ hasText: '0 runs' }).waitFor({ timeout: 30_000 });
    await runCommand(page, 'Perf Lab: Record Baseline');
    await status.filter({ hasText: '1 runs' }).waitFor({ timeout: 120_000 });
    await runCommand(page, 'Perf Lab: Run Candidate');
    await status.filter({ hasText: '2 runs' }).waitFor({ timeout: 120_000 });
    await runCommand(page, 'Perf Lab: Compare Experiment');
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const row = panel.locator('tbody tr', { hasText: 'shard_of' });
    await row.waitFor({ timeout: 30_000 });
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[0], 'shard_of');
    assert.match(cells[3]!, /^[+-]\d+\.\d\d%$/);
    assert.match(cells[4]!, /^\[[+-]\d+\.\d\d%, [+-]\d+\.\d\d%\]$/);
    assert.match(cells[8]!, /^(KEEP|MAYBE|DISCARD|DISCARD \(regression\)|NOISY)$/);
    assert.equal(await row.locator('circle.baseline').count() > 10, true);
    assert.equal(await row.locator('circle.candidate').count() > 10, true);
    await screenshot(page, 'perf-lab-before-after');
  });
});
