/**
 * The flame-graph panel in real Chromium: frames drawn from a real perf recording, search,
 * Ctrl-click to source, and symbol names that look like HTML shown as text (no dialog fires).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { exampleWorkspace } from '../vscode/tools';
import { flameFrame, openPerfLabContainer, runCommand, screenshot } from '../vscode/workbench';
import { workbenchSession } from './session';

const profiles = path.join(exampleWorkspace(), '.perf-lab/profiles');
const evilNames = ['<img src=x onerror=alert(1)>', '</script><script>alert(2)</script>'];

/** Opens a profile through "Perf Lab: Open Profile…", picking it among the workspace's profile files. */
async function openProfile(page: Page, file: string): Promise<void> {
  await runCommand(page, 'Perf Lab: Open Profile…');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input').fill(path.basename(file));
  await widget
    .locator('.monaco-list-row', { hasText: path.basename(file) })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
}

describe('the flame-graph panel', () => {
  const dialogs: string[] = [];
  const perfProfile = path.join(profiles, 'e2e-wordfreq.perf.txt');
  const evilProfile = path.join(profiles, 'e2e-evil.folded');

  before(async function () {
    const wordfreq = path.join(exampleWorkspace(), 'rust/target/release/wordfreq');
    if (!existsSync(wordfreq)) this.skip();
    mkdirSync(profiles, { recursive: true });
    const data = `${perfProfile}.data`;
    execFileSync('perf', ['record', '-q', '-e', 'cpu-clock', '-g', '-o', data, '--', wordfreq, 'inputs/heavy.log'], { cwd: exampleWorkspace(), stdio: 'ignore' });
    writeFileSync(perfProfile, execFileSync('perf', ['script', '-i', data], { maxBuffer: 1 << 28 }));
    writeFileSync(evilProfile, `main;${evilNames[0]} 60\nmain;${evilNames[1]} 30\nmain;plain 10\n`);
    writeFileSync(path.join(profiles, 'e2e-before.folded'), 'wordfreq;main;analyze;count_words 600\nwordfreq;main;analyze;shard_of 300\nwordfreq;main;read 100\n');
    writeFileSync(path.join(profiles, 'e2e-after.folded'), 'wordfreq;main;analyze;count_words 150\nwordfreq;main;analyze;shard_of 300\nwordfreq;main;read 100\n');
  });

  const session = workbenchSession({}, async (page) => {
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openPerfLabContainer(page);
  });
  let page: Page;
  before(() => (page = session.page));

  it('draws the frames of a real perf recording and finds them by search', async () => {
    await openProfile(page, perfProfile);
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'e2e-wordfreq.perf.txt' }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Perf Lab: Show Flame Graph');
    const frame = flameFrame(page);
    // A function can have several frames; narrow ones hide their label. Wait for a drawn one.
    const shardOf = frame.locator('.d3-flame-graph-label', { hasText: 'wordfreq::shard_of' }).filter({ visible: true }).first();
    await shardOf.waitFor({ timeout: 30_000 });
    assert.match((await frame.locator('.toolbar .title').textContent()) ?? '', /e2e-wordfreq\.perf\.txt · cpu-clock \(nanoseconds\)/);
    await frame.locator('input.search').fill('shard_of');
    // d3-flame-graph paints the frames that match in its highlight colour.
    await frame
      .locator('g', { has: frame.locator('.d3-flame-graph-label', { hasText: /^wordfreq::shard_of$/ }).filter({ visible: true }) })
      .locator('rect[fill="#E600E6"]')
      .first()
      .waitFor();
    // The search line names the weights the profile holds, not d3-flame-graph's "samples".
    const searchLine = (await frame.locator('.details').textContent()) ?? '';
    assert.match(searchLine, /^Search “shard_of”: \d+ frames?, [\d,]+ of [\d,]+ cpu-clock \(nanoseconds\) \(\d+\.\d\d%\)$/);
    assert.doesNotMatch(searchLine, /samples/);
    await screenshot(page, 'perf-lab-flame-graph');
    // The root is in view when the panel opens: an icicle (root at the top) by default, and a
    // flame graph (root at the bottom of an SVG taller than the panel) scrolled down to it.
    assert.equal(await frame.locator('.toolbar .icicle input').isChecked(), true);
    const rootPlacement = () =>
      frame.locator('svg.d3-flame-graph').evaluate((svg) => {
        const rects = [...svg.querySelectorAll('rect')];
        const root = rects.reduce((widest, rect) => (Number(rect.getAttribute('width')) > Number(widest.getAttribute('width')) ? rect : widest));
        const box = root.getBoundingClientRect();
        return { top: box.top, bottom: box.bottom, viewport: (globalThis as unknown as { innerHeight: number }).innerHeight, svgHeight: svg.getBoundingClientRect().height };
      });
    const icicle = await rootPlacement();
    assert.ok(icicle.top >= 0 && icicle.bottom <= icicle.viewport, `icicle root at ${JSON.stringify(icicle)}`);
    await frame.locator('.toolbar .icicle input').uncheck();
    await frame.locator('.d3-flame-graph-label', { hasText: 'wordfreq::shard_of' }).filter({ visible: true }).first().waitFor();
    const flame = await rootPlacement();
    assert.ok(flame.top >= 0 && flame.bottom <= flame.viewport, `flame root at ${JSON.stringify(flame)}`);
    console.log(`flame graph ${Math.round(flame.svgHeight)} px tall in a ${flame.viewport} px panel; root drawn at ${Math.round(flame.top)}-${Math.round(flame.bottom)} px`);
    await screenshot(page, 'perf-lab-flame-graph-root-in-view');
    await frame.locator('.toolbar .icicle input').check();
  });

  it('opens the source of a frame on Ctrl-click', async () => {
    const frame = flameFrame(page);
    await frame.locator('input.search').fill('');
    await frame
      .locator('g', { has: frame.locator('.d3-flame-graph-label', { hasText: /^wordfreq::shard_of$/ }).filter({ visible: true }) })
      .first()
      .click({ modifiers: ['Control'] });
    await page.locator('.tabs-container .tab', { hasText: 'lib.rs' }).waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-line', { hasText: 'pub fn shard_of' }).waitFor();
    await screenshot(page, 'perf-lab-flame-click-to-source');
  });

  it('draws the differential flame graph of two runs, with a legend saying what is drawn', async () => {
    await openProfile(page, path.join(profiles, 'e2e-before.folded'));
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'e2e-before.folded' }).waitFor({ timeout: 30_000 });
    await openProfile(page, path.join(profiles, 'e2e-after.folded'));
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'e2e-after.folded' }).waitFor({ timeout: 30_000 });
    await runCommand(page, 'Perf Lab: Compare Profiles (Differential Flame Graph)…');
    for (const name of ['e2e-before.folded', 'e2e-after.folded']) {
      const widget = page.locator('.quick-input-widget');
      await widget.locator('input').fill(name);
      await widget.locator('.monaco-list-row', { hasText: name }).first().waitFor();
      await page.keyboard.press('Enter');
    }
    const frame = flameFrame(page);
    await frame
      .locator('.legend', { hasText: /^Differential: widths are e2e-after\.folded; colour is the change of each stack's total against e2e-before\.folded scaled by the totals' ratio/ })
      .waitFor({ timeout: 30_000 });
    // Normalised to the same total, count_words shrank (blue) and shard_of and read grew (red).
    const fill = async (name: string) =>
      frame
        .locator('g', { has: frame.locator('.d3-flame-graph-label', { hasText: new RegExp(`^${name}$`) }) })
        .locator('rect')
        .first()
        .getAttribute('fill');
    assert.equal(await fill('count_words'), 'rgb(0, 0, 255)');
    assert.match((await fill('shard_of')) ?? '', /^rgb\(255, \d+, \d+\)$/);
    await screenshot(page, 'perf-lab-flame-differential');
  });

  it('comes back after a window reload, both profiles loaded again by a fresh language server', async () => {
    // The command, not a bare page reload: the workbench shuts down and saves editor state first.
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const frame = flameFrame(page);
    await frame.locator('.legend', { hasText: /^Differential: widths are e2e-after\.folded; colour is the change of each stack's total against e2e-before\.folded/ }).waitFor({ timeout: 60_000 });
    const fill = await frame
      .locator('g', { has: frame.locator('.d3-flame-graph-label', { hasText: /^count_words$/ }) })
      .locator('rect')
      .first()
      .getAttribute('fill');
    assert.equal(fill, 'rgb(0, 0, 255)');
    await screenshot(page, 'perf-lab-flame-restored');
  });

  it('shows symbol names that look like HTML as text, with no script run', async () => {
    await openProfile(page, evilProfile);
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'e2e-evil.folded' }).waitFor({ timeout: 30_000 });
    await runCommand(page, 'Perf Lab: Show Flame Graph');
    const frame = flameFrame(page);
    for (const name of evilNames) {
      await frame.locator('.d3-flame-graph-label', { hasText: name }).first().waitFor({ timeout: 30_000 });
    }
    assert.equal(await frame.locator('.chart img').count(), 0, 'no <img> element was created from a name');
    await frame
      .locator('g', { has: frame.locator('.d3-flame-graph-label', { hasText: evilNames[0]! }) })
      .first()
      .hover();
    await frame.locator('.details', { hasText: evilNames[0]! }).waitFor();
    await frame.locator('input.search').fill('<script>');
    await frame
      .locator('g', { has: frame.locator('.d3-flame-graph-label', { hasText: evilNames[1]! }) })
      .locator('rect[fill="#E600E6"]')
      .first()
      .waitFor();
    assert.equal(
      await frame
        .locator('g', { has: frame.locator('.d3-flame-graph-label', { hasText: 'plain' }) })
        .locator('rect[fill="#E600E6"]')
        .count(),
      0,
    );
    await page.waitForTimeout(500);
    assert.deepEqual(dialogs, [], 'no alert() ran');
    await screenshot(page, 'perf-lab-flame-escaping');
  });
});
