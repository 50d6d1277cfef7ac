/**
 * A memory profile as a user records it in the workbench: Profile Memory… on the example's
 * memory hot spot (`wordfreq index`) with heaptrack, the end notification naming the peak and
 * whose code allocated it, the flame graph by bytes at peak, and the bytes on the line that
 * allocates them in lib.rs.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { exampleWorkspace } from '../vscode/tools';
import { flameFrame, notification, openPerfLabContainer, runCommand, screenshot } from '../vscode/workbench';
import { workbenchSession } from './session';

describe('a memory profile in the workbench', () => {
  before(function () {
    if (!existsSync(path.join(exampleWorkspace(), 'rust/target/release/wordfreq')) || !existsSync('/usr/bin/heaptrack')) this.skip(); // setup.sh installs heaptrack
  });
  const session = workbenchSession({}, openPerfLabContainer);
  let page: Page;
  before(() => (page = session.page));

  it('Profile Memory… with heaptrack: the peak, the allocating function, its flame graph and the bytes at the line', async function () {
    this.timeout(240_000);
    await runCommand(page, 'Perf Lab: Profile Memory…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: 'Profile Command' }).waitFor({ timeout: 30_000 });
    await widget.locator('input').fill('rust/target/release/wordfreq index inputs/typical.log error');
    await page.keyboard.press('Enter');
    // Only the memory profilers installed here, heaptrack first.
    await widget.locator('.quick-input-title', { hasText: 'Profile memory with' }).waitFor({ timeout: 30_000 });
    const rows = widget.locator('.monaco-list-row');
    await rows.filter({ hasText: 'heaptrack' }).first().waitFor({ timeout: 30_000 });
    const choices = await rows.allTextContents();
    assert.ok(
      choices.length === 3 && choices[0]!.startsWith('heaptrack') && choices.some((text) => text.startsWith('massif')) && choices.some((text) => text.startsWith('DHAT')),
      JSON.stringify(choices),
    );
    await page.keyboard.press('Enter');

    const done = await notification(
      page,
      /Perf Lab: profiled rust\/target\/release\/wordfreq index inputs\/typical\.log error: [\d.]+ MB at the peak\. The most was allocated by .*index_lines \(\d+\.\d% of the peak in rust\/wordfreq\/src\/lib\.rs:\d+\)/,
      180_000,
    );
    await page.locator('.tabs-container .tab', { hasText: 'Flame Graph' }).waitFor({ timeout: 30_000 });
    const frame = flameFrame(page);
    await frame.locator('.d3-flame-graph-label', { hasText: 'index_lines' }).first().waitFor({ timeout: 30_000 });
    // The flame graph weighs by bytes at peak, heaptrack's default view.
    assert.match((await frame.locator('body').textContent()) ?? '', /bytes at peak/);
    await screenshot(page, 'perf-lab-memory-flame');

    await done.locator('.monaco-button', { hasText: 'Go to Hot Code' }).click();
    await page.locator('.tabs-container .tab.active', { hasText: 'lib.rs' }).waitFor({ timeout: 30_000 });
    // The line that copies each line into the index carries the bytes it holds at the peak.
    const pushLine =
      readFileSync(path.join(exampleWorkspace(), 'rust/wordfreq/src/lib.rs'), 'utf8')
        .split('\n')
        .findIndex((line) => line.includes('push(line.to_string())')) + 1;
    await runCommand(page, 'Go to Line/Column...');
    await page.keyboard.type(String(pushLine));
    await page.keyboard.press('Enter');
    // The figures are an after-decoration: CSS content of the line's last span, not its text.
    await page.waitForFunction(`[...document.querySelectorAll('.view-lines span')].some((span) => /[\\d.]+ MB at peak · \\d+\\.\\d%/.test(getComputedStyle(span, '::after').content))`, undefined, {
      timeout: 30_000,
    });
    // The lens over index_lines says what it allocates.
    await page.locator('.codelens-decoration', { hasText: /index_lines · allocates \d+\.\d% of the peak \([\d.]+ MB\)/ }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'perf-lab-memory-heat');
  });
});
