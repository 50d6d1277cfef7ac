/** An experiment driven through the UI, ending in the before/after panel. */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { exampleWorkspace } from '../vscode/tools';
import { openPerfLabContainer, runCommand, screenshot, waitForProgressToEnd } from '../vscode/workbench';
import { workbenchSession } from './session';

describe('an experiment in the workbench', () => {
  before(function () {
    if (!existsSync(path.join(exampleWorkspace(), 'rust/target/release'))) this.skip();
  });
  const session = workbenchSession(
    {
      settings: {
        'perfLab.benchmarks.criterionArgs': ['--warm-up-time', '1', '--measurement-time', '1', '--noplot'],
        'perfLab.experiments.directory': '.perf-lab/e2e-experiments',
        'perfLab.experiments.rounds': 10,
      },
    },
    openPerfLabContainer,
  );
  let page: Page;
  before(() => (page = session.page));

  it('runs baseline and candidate from the palette and shows the before/after panel', async function () {
    this.timeout(480_000); // 10 runs a side of ~3 s each, the builds, and cargo test
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
    // Ten runs a side (perfLab.experiments.runsPerSide).
    // Long work shows its progress, with Cancel, in a notification (its toast may have hidden).
    await status.filter({ hasText: /· [1-9] runs?$/ }).waitFor({ timeout: 120_000 });
    await runCommand(page, 'Notifications: Show Notifications');
    const progress = page.locator('.notification-list-item', { hasText: /Perf Lab: baseline of \d{3}-inline-the-salt-hash-no-change-yet on shard_of: run \d+ of 10/ });
    await progress.waitFor({ timeout: 30_000 });
    assert.equal(await progress.locator('.monaco-button', { hasText: 'Cancel' }).count(), 1);
    await screenshot(page, 'perf-lab-experiment-progress');
    await runCommand(page, 'Notifications: Hide Notifications');
    await waitForProgressToEnd(page, /Perf Lab: baseline of \d{3}-inline-the-salt-hash-no-change-yet/, 200_000);
    assert.match((await status.textContent())!, /· 10 runs$/);
    // The end is said, with what was measured and the next step (in the centre: its toast may have hidden).
    await runCommand(page, 'Notifications: Show Notifications');
    const done = page.locator('.notifications-center .notification-list-item', {
      hasText: /\d{3}-inline-the-salt-hash-no-change-yet: baseline recorded, 10 runs, median [\d.]+ (ms|µs|ns|s) \(runs vary [\d.]+%\)/,
    });
    await done.waitFor({ timeout: 30_000 });
    assert.equal(await done.locator('.monaco-button', { hasText: 'Run Candidate' }).count(), 1);
    await screenshot(page, 'perf-lab-baseline-recorded');
    await runCommand(page, 'Notifications: Clear All Notifications');
    if (await page.locator('.notifications-center.visible').count()) await runCommand(page, 'Notifications: Hide Notifications');
    await runCommand(page, 'Perf Lab: Run Candidate');
    await waitForProgressToEnd(page, /Perf Lab: candidate of \d{3}-inline-the-salt-hash-no-change-yet/, 200_000);
    assert.match((await status.textContent())!, /· 20 runs$/);
    await runCommand(page, 'Perf Lab: Compare Experiment');
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const row = panel.locator('tbody tr', { hasText: 'shard_of' });
    await row.waitFor({ timeout: 30_000 });
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[0], 'shard_of');
    assert.match(cells[3]!, /^[+-]\d+\.\d\d%$/);
    assert.match(cells[4]!, /^\[[+-]\d+\.\d\d%, [+-]\d+\.\d\d%\]$/);
    // Judged over the 10 runs a side (each run's median), not over the 2,000 samples.
    assert.equal(cells[7], '10 / 10');
    const reason = await row.locator('.badge').getAttribute('title');
    const verdict = `${cells[8]}: Δ ${cells[3]} ${cells[4]} p ${cells[5]}: ${reason}`;
    console.log(`no-change experiment, measured one side after the other: ${verdict}`);
    // Nothing changed, but the sides ran one after the other: the machine's drift between them
    // (measured here: +0.45%, -2.42% on a quiet machine, -6.75% with the other core busy) is the
    // only change left, and it is never a KEEP. The exact "no detectable change" is asserted for
    // the interleaved comparison below; 15% catches a real change slipping in.
    assert.ok(Math.abs(Number.parseFloat(cells[3]!)) < 15, verdict);
    assert.match(cells[8]!, /^(DISCARD|MAYBE|DISCARD \(regression\))$/, verdict);
    assert.match((await panel.locator('p.basis').textContent())!, /one after the other/);
    assert.equal(await row.locator('circle.baseline').count(), 10);
    assert.equal(await row.locator('circle.candidate').count(), 10);
    await screenshot(page, 'perf-lab-before-after');
  });

  it('compares HEAD with the unchanged working tree, interleaved, picked from the palette', async function () {
    this.timeout(600_000); // builds HEAD in its worktree unless an earlier run left it built
    const widget = page.locator('.quick-input-widget');
    const pick = async (title: string | undefined, text: string, row: string) => {
      if (title) await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
      await widget.locator('input').fill(text, { timeout: 10_000 });
      await widget.locator('.monaco-list-row', { hasText: row }).first().waitFor({ timeout: 30_000 });
    };
    const startComparison = async () => {
      await runCommand(page, 'Perf Lab: Compare Revisions (Interleaved A/B)…');
      await pick(undefined, 'shard_of', 'shard_of');
      await page.keyboard.press('Enter');
      // The workspace copy has one commit: HEAD, and no HEAD~1.
      await pick('Baseline (A)', 'HEAD', 'HEAD');
      await screenshot(page, 'perf-lab-revision-picker');
      await page.keyboard.press('Enter');
      await pick('Candidate (B)', 'Working tree', 'Working tree');
      await page.keyboard.press('Enter');
    };
    try {
      await startComparison();
    } catch (error) {
      // Seen once: the quick input closed between two pickers in headless Chromium. Nothing was
      // created yet, so starting again is safe; a second failure fails the test.
      console.log(`retrying the revision pickers once: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      await page.keyboard.press('Escape');
      await startComparison();
    }

    const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const measured = panel.locator('p.measured', { hasText: 'interleaved in 10 rounds' });
    await measured.waitFor({ timeout: 540_000 });
    assert.match((await measured.textContent())!, /^Measured: baseline HEAD \([0-9a-f]{10}\), candidate the working tree \(snapshot [0-9a-f]{10}\), interleaved in 10 rounds$/);
    const row = panel.locator('tbody tr', { hasText: 'shard_of' });
    const cells = await row.locator('td').allTextContents();
    // Judged over the 10 runs a side (each run's median), not over the 1,000 samples.
    assert.equal(cells[7], '10 / 10');
    const basis = (await panel.locator('p.basis').textContent())!;
    assert.match(basis, /^Statistics over each run's median \(10 baseline and 10 candidate runs\)/);
    assert.doesNotMatch(basis, /one after the other/);
    // Nothing changed, and interleaving gave the machine's moods to both sides alike.
    const reason = await row.locator('.badge').getAttribute('title');
    assert.equal(cells[8], 'DISCARD', `Δ ${cells[3]} ${cells[4]} p ${cells[5]}: ${reason}`);
    assert.match(reason!, /no detectable change/);
    await screenshot(page, 'perf-lab-revisions-interleaved');
  });
});
