/**
 * Targets in the workbench: the example's target table and two teams' documents
 * (../shared/conformance/ideas, copied into the example copy) in the Targets view, a hyperfine
 * run of the example's wordfreq commands judging the target it measures, the status bar and the
 * diagnostic saying so, and Record as Current writing the figure into the document.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { exampleWorkspace } from '../vscode/tools';
import { openPerfLabContainer, runCommand, screenshot } from '../vscode/workbench';
import { workbenchSession } from './session';

const conformance = path.resolve(__dirname, '../../../../shared/conformance/ideas');
const seeds = ['rust-node-optimization-tasks.md', 'perf-docs-readme.md'];

describe('targets in the workbench', () => {
  const tasks = () => path.join(exampleWorkspace(), 'docs/perf/optimization-tasks.md');
  let original = '';
  before(() => {
    original = readFileSync(tasks(), 'utf8');
    for (const seed of seeds) copyFileSync(path.join(conformance, seed), path.join(exampleWorkspace(), 'docs/perf', seed));
  });
  after(() => {
    for (const seed of seeds) rmSync(path.join(exampleWorkspace(), 'docs/perf', seed), { force: true });
    if (original) writeFileSync(tasks(), original);
  });
  const session = workbenchSession({}, openPerfLabContainer);
  let page: Page;
  before(() => (page = session.page));
  const pane = (title: string) => page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: title }) });
  const row = (title: string, name: string | RegExp) =>
    pane(title)
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: name }) });
  const targetRow = (name: string) => row('Targets', name);

  it("lists the seed documents' targets and the example's, linked to its benchmarks where names match", async function () {
    this.timeout(120_000);
    // Room for the Targets view: the Ideas and Profiles views folded.
    for (const view of ['Ideas', 'Profiles', 'Experiments']) await page.locator('.part.sidebar .pane-header', { hasText: view }).locator('.title').click();
    await targetRow('Mining rate').waitFor({ timeout: 60_000 });
    assert.match((await targetRow('Mining rate').textContent()) ?? '', /target 3,000 attempts\/s · unlinked/);
    assert.match((await targetRow('Mean block time').textContent()) ?? '', /baseline 12\.7 ms · unlinked/);
    assert.match((await targetRow('Network sync').textContent()) ?? '', /target 50% faster · unlinked/);
    // The example's own table: its rows name its benchmarks.
    assert.match((await targetRow('tokenize_line').textContent()) ?? '', /target < 1 µs · critical > 10 µs · run tokenize_line · unmeasured/);
    assert.match((await targetRow('wordfreq inputs/heavy.log wall time').textContent()) ?? '', /· run wordfreq · unmeasured/);
  });

  it('a benchmark run judges the target it measures: the view, the status bar, the diagnostic, and Record as Current', async function () {
    this.timeout(240_000);
    // The source files' benchmarks folded, so the perfLab.commands ones are in view.
    for (const file of ['latency_bench.cpp', 'criterion_benches.rs']) await row('Benchmarks', file).locator('.monaco-tl-twistie').click();
    const wordfreq = row('Benchmarks', /^wordfreq$/);
    await wordfreq.hover();
    await wordfreq.locator('.action-label[aria-label="Run Benchmark"]').click();
    const heavy = targetRow('wordfreq inputs/heavy.log wall time');
    await heavy.filter({ hasText: /now [\d.]+ m?s · missed/ }).waitFor({ timeout: 180_000 });
    const measured = /now ([\d.]+ m?s)/.exec((await heavy.textContent()) ?? '')![1]!;
    // The sidebar dragged wider, to read the figures.
    const sidebar = (await page.locator('.part.sidebar').boundingBox())!;
    await page.mouse.move(sidebar.x + sidebar.width + 1, sidebar.y + sidebar.height / 2);
    await page.mouse.down();
    await page.mouse.move(sidebar.x + sidebar.width + 300, sidebar.y + sidebar.height / 2, { steps: 10 });
    await page.mouse.up();
    const status = page.locator('.statusbar-item', { hasText: /\d+\/\d+ met/ });
    assert.match((await status.textContent()) ?? '', /0\/1 met · 1 missed/);
    await screenshot(page, 'perf-lab-targets');

    // The document says so on the target's line.
    await heavy.dblclick();
    await page.locator('.tabs-container .tab.active', { hasText: 'optimization-tasks.md' }).waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    await page.locator('.markers-panel .monaco-list-row', { hasText: '"wordfreq inputs/heavy.log wall time" is missed: target < 40 ms · critical > 2 s' }).waitFor({ timeout: 30_000 });

    // Record as Current: the measured figure replaces "~210 ms" in the Current cell, "~" kept.
    await runCommand(page, 'Perf Lab: Record as Current');
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'wordfreq inputs/heavy.log wall time' });
    await pick.waitFor({ timeout: 30_000 });
    await pick.click();
    const deadline = Date.now() + 30_000;
    while (!readFileSync(tasks(), 'utf8').includes(`| ~${measured} | < 40 ms |`)) {
      assert.ok(
        Date.now() < deadline,
        `the Current cell was not written: ${readFileSync(tasks(), 'utf8')
          .split('\n')
          .find((line) => line.includes('heavy.log'))}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(readFileSync(tasks(), 'utf8').replace(`| ~${measured} | < 40 ms |`, '| ~210 ms | < 40 ms |'), original, 'only that cell changed');
    await screenshot(page, 'perf-lab-targets-recorded');
  });
});
