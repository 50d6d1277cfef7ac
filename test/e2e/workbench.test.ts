/** Playwright drives the real workbench: what a user sees of Perf Lab. */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openPerfLabContainer, runCommand, screenshot } from '../vscode/workbench';
import { workbenchSession } from './session';

describe('the Perf Lab container in the workbench', () => {
  const session = workbenchSession();
  let page: Page;
  before(() => (page = session.page));

  it('opens from the activity bar with the Ideas, Benchmarks, Targets, Profiles and Experiments views', async () => {
    await openPerfLabContainer(page);
    const headers = page.locator('.part.sidebar .pane-header h3.title');
    await headers.nth(4).waitFor();
    assert.deepEqual(await headers.allTextContents(), ['Ideas', 'Benchmarks', 'Targets', 'Profiles', 'Experiments']);
    // A view whose feature has not landed shows its welcome text and an action.
    const welcome = page.locator('.part.sidebar .welcome-view-content', { hasText: 'Experiments measure a baseline' });
    await welcome.waitFor();
    // The Benchmarks view lists the example's benchmark files.
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'criterion_benches.rs' }).waitFor({ timeout: 30_000 });
  });

  it('lists the ideas of the example documents with status and progress', async () => {
    const rows = page.locator('.part.sidebar .pane-body .monaco-list-row');
    await rows.filter({ hasText: 'Count words in a HashMap' }).waitFor({ timeout: 30_000 });
    const document = rows.filter({ hasText: 'Performance ideas: native-core' });
    assert.match((await document.textContent()) ?? '', /1\/10 done/);
    const idea = rows.filter({ hasText: 'Reuse one token buffer in tokenize' });
    assert.match((await idea.textContent()) ?? '', /In progress/);
    // Collapse the views that only have welcome text, so the screenshot shows the ideas.
    for (const view of ['Benchmarks', 'Targets', 'Profiles', 'Experiments']) {
      // The title, not the header's centre: that is where a view's title actions are.
      await page.locator('.part.sidebar .pane-header', { hasText: view }).locator('.title').click();
    }
    await rows.filter({ hasText: 'Hash map for endpoint ids' }).waitFor();
    await screenshot(page, 'perf-lab-views');
  });

  it('shows the idea above the function it targets as a CodeLens', async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('wordfreq/src/lib.rs');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'lib.rs' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'Word statistics' }).waitFor();
    // Lenses are drawn for visible lines only: go to the function (line 40).
    await page.keyboard.press('Control+G');
    await input.fill(':40');
    await page.keyboard.press('Enter');
    const lens = page.locator('.codelens-decoration', { hasText: 'Count words in a HashMap' });
    await lens.waitFor({ timeout: 30_000 });
    assert.match((await lens.textContent()) ?? '', /💡 Count words in a HashMap instead of a linear search · Tier 1: easy wins · To do/);
    await screenshot(page, 'perf-lab-idea-codelens');
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
