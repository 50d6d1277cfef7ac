/** An idea table without a Status column, edited through the workbench: the user is asked first. */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { exampleWorkspace } from '../vscode/tools';
import { openPerfLabContainer, runCommand, screenshot } from '../vscode/workbench';
import { workbenchSession } from './session';

// Tiers as the execution client's perf README writes them: Idea | Why | Key Location, no Status.
const tiers = path.join(exampleWorkspace(), 'docs/perf/e2e-tiers.md');
const tiersText =
  '# Tier list\n\n## Tier 1\n\n| Idea | Why | Key Location |\n|------|-----|--------------|\n| **Skip zero-init** | memory expansion is hot | `rust/wordfreq/src/lib.rs:40` |\n| **Pool buffers** | allocations | Pipeline |\n';

describe('an idea table without a Status column in the workbench', () => {
  before(() => writeFileSync(tiers, tiersText));
  after(() => rmSync(tiers, { force: true }));
  const session = workbenchSession({}, openPerfLabContainer);
  let page: Page;
  before(() => (page = session.page));

  it('asks before adding a Status column, then sets the status in it', async () => {
    const rows = page.locator('.part.sidebar .pane-body .monaco-list-row');
    const row = rows.filter({ hasText: 'Skip zero-init' });
    await row.waitFor({ timeout: 60_000 });
    assert.doesNotMatch((await row.textContent()) ?? '', /No status/, 'a table with no Status column shows no "No status"');
    await runCommand(page, 'Perf Lab: Set Idea Status…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input').fill('Skip zero-init');
    await widget.locator('.monaco-list-row', { hasText: 'Skip zero-init' }).first().waitFor();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match((await dialog.textContent()) ?? '', /The table of "Skip zero-init" \(docs\/perf\/e2e-tiers\.md:7\) has no Status column/);
    await screenshot(page, 'perf-lab-add-status-column');
    await dialog.locator('.monaco-button', { hasText: 'Add a Status Column' }).click();
    await widget.locator('input').fill('In progress');
    await widget.locator('.monaco-list-row', { hasText: 'In progress' }).first().waitFor();
    await page.keyboard.press('Enter');
    await rows.filter({ hasText: 'Skip zero-init' }).filter({ hasText: 'In progress' }).waitFor({ timeout: 30_000 });
    // The view follows the edited document; the save to disk can land a moment later.
    const expected =
      '# Tier list\n\n## Tier 1\n\n| Idea | Why | Key Location | Status      |\n|------|-----|--------------|-------------|\n| **Skip zero-init** | memory expansion is hot | `rust/wordfreq/src/lib.rs:40` | In progress |\n| **Pool buffers** | allocations | Pipeline |             |\n';
    for (let waited = 0; readFileSync(tiers, 'utf8') !== expected && waited < 10_000; waited += 250) await page.waitForTimeout(250);
    assert.equal(readFileSync(tiers, 'utf8'), expected);
    await screenshot(page, 'perf-lab-status-column-added');
  });
});
