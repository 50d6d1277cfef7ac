/**
 * What Perf Lab says after a recording, as a new user sees it: where the heat is, why a profile
 * has no names or no sources, and which benchmarks reach an idea's code.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { exampleWorkspace } from '../vscode/tools';
import { clearNotifications as clearAll, flameFrame, notification as shownNotification, openPerfLabContainer, runCommand, screenshot } from '../vscode/workbench';
import { workbenchSession } from './session';

// A C program with one hot loop, built outside the workspace as CI would build it.
const hotSource = [
  '#include <stdio.h>',
  '#include <stdlib.h>',
  '__attribute__((noinline)) unsigned long checksum(const unsigned char *data, unsigned long n) {',
  '  unsigned long hash = 1469598103934665603UL;',
  '  for (unsigned long i = 0; i < n; i++) hash = (hash ^ data[i]) * 1099511628211UL;',
  '  return hash;',
  '}',
  'int main(int argc, char **argv) {',
  '  static unsigned char buffer[1 << 20];',
  '  unsigned long rounds = argc > 1 ? strtoul(argv[1], 0, 10) : 200, total = 0;',
  '  for (unsigned long i = 0; i < sizeof buffer; i++) buffer[i] = (unsigned char)i;',
  // Each round changes a byte, so the compiler cannot hoist the pure call out of the loop.
  '  for (unsigned long r = 0; r < rounds; r++) { buffer[r % sizeof buffer] ^= (unsigned char)r; total += checksum(buffer, sizeof buffer); }',
  '  printf("%lu\\n", total);',
  '  return 0;',
  '}',
  '',
].join('\n');

describe('what Perf Lab says about a recording in the workbench', () => {
  let elsewhere = '';
  before(function () {
    if (!existsSync(path.join(exampleWorkspace(), 'rust/target/release/wordfreq'))) this.skip();
    // Under /tmp/perf-*, which perf 6.1 takes for a JIT map file: it leaves the binary's frames
    // [unknown], and Perf Lab's addr2line pass names them.
    elsewhere = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-e2e-elsewhere-'));
    writeFileSync(path.join(elsewhere, 'hot.c'), hotSource);
    execFileSync('cc', ['-O2', '-g', '-fno-omit-frame-pointer', '-o', path.join(elsewhere, 'bench'), path.join(elsewhere, 'hot.c')]);
    execFileSync('cc', ['-O2', '-fomit-frame-pointer', '-o', path.join(elsewhere, 'stripped-bench'), path.join(elsewhere, 'hot.c')]);
    execFileSync('strip', [path.join(elsewhere, 'stripped-bench')]);
    // The sources stay where they were built: not on "this machine" for the profile.
    rmSync(path.join(elsewhere, 'hot.c'));
  });
  after(() => {
    if (elsewhere) rmSync(elsewhere, { recursive: true, force: true });
  });
  const session = workbenchSession({}, openPerfLabContainer);
  let page: Page;
  before(() => (page = session.page));

  /** Profile Command from the palette, with perf (frame pointers). */
  async function profileCommand(command: string): Promise<void> {
    await runCommand(page, 'Perf Lab: Profile Command…');
    const widget = page.locator('.quick-input-widget');
    // The palette's own input first closes: fill the command box once its title shows.
    await widget.locator('.quick-input-title', { hasText: 'Profile Command' }).waitFor({ timeout: 30_000 });
    await widget.locator('input').fill(command);
    await page.keyboard.press('Enter');
    await widget.locator('.monaco-list-row', { hasText: 'cpu-clock samples with call graphs (frame pointers)' }).waitFor({ timeout: 30_000 });
    await widget.locator('input').fill('');
    await page.keyboard.press('Enter');
  }

  const notification = (text: RegExp, timeout: number) => shownNotification(page, text, timeout);
  const clearNotifications = () => clearAll(page);

  it('says where the heat is when a recording ends, with a way there', async function () {
    this.timeout(180_000);
    await profileCommand('rust/target/release/wordfreq inputs/heavy.log');
    const done = await notification(
      /Perf Lab: profiled rust\/target\/release\/wordfreq inputs\/heavy\.log: [\d,]+ samples\. The hottest function is .+? \([\d.]+% self in rust\/wordfreq\/src\/lib\.rs:\d+\)/,
      150_000,
    );
    // The flame graph opened beside it.
    await page.locator('.tabs-container .tab', { hasText: 'Flame Graph' }).waitFor({ timeout: 30_000 });
    await flameFrame(page).locator('.d3-flame-graph-label', { hasText: 'wordfreq::main' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'perf-lab-profile-recorded');
    await done.locator('.monaco-button', { hasText: 'Go to Hot Code' }).click();
    await page.locator('.tabs-container .tab.active', { hasText: 'lib.rs' }).waitFor({ timeout: 30_000 });
    await clearNotifications();
  });

  it('says when the hot code was built in a folder that is not here, and offers to map it', async function () {
    this.timeout(120_000);
    await profileCommand(`${path.join(elsewhere, 'bench')} 1500`);
    const warning = await notification(/is in source files not on this machine/, 100_000);
    const text = (await warning.textContent()) ?? '';
    assert.match(text, new RegExp(`Perf Lab: \\d+% of bench-1500-[\\w-]+\\.perf\\.txt is in source files not on this machine \\(${elsewhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/hot\\.c\\)`), text);
    assert.equal(await warning.locator('.monaco-button', { hasText: 'Map to a Workspace Folder…' }).count(), 1);
    // Its names and lines are fine: only the sources are elsewhere.
    const shown = await page.locator('.notifications-center .notification-list-item').allTextContents();
    assert.ok(!shown.some((text) => /bench-1500-.*(could not name|stripped|no source lines)/.test(text)), JSON.stringify(shown));
    await screenshot(page, 'perf-lab-missing-sources');
    await clearNotifications();
  });

  it('says why a stripped build has no names, and shows the fix for this workspace', async function () {
    this.timeout(120_000);
    await profileCommand(`${path.join(elsewhere, 'stripped-bench')} 1500`);
    const warning = await notification(/which is stripped \(no \.symtab, no debug info\)/, 100_000);
    await screenshot(page, 'perf-lab-symbolization-warning');
    await warning.locator('.monaco-button', { hasText: 'Show How to Fix' }).click();
    // The example builds with cargo and CMake: each gets its fix in the output.
    const output = page.locator('.part.panel .view-lines');
    // (Monaco draws spaces as no-break spaces: \s matches both.)
    await output.filter({ hasText: /fix:\s+Cargo:/ }).waitFor({ timeout: 30_000 });
    await output.filter({ hasText: /fix:\s+CMake:/ }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'perf-lab-symbolization-fix');
    await clearNotifications();
  });

  it('lists first the benchmarks that reach the code of an idea, for New Experiment from the Ideas view', async () => {
    await page.locator('.part.sidebar .pane-header', { hasText: 'Ideas' }).waitFor();
    const idea = page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: 'Hash the shard salt once' });
    await idea.waitFor({ timeout: 30_000 });
    await idea.click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: 'New Experiment…' }).click();
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ timeout: 30_000 });
    const first = (await rows.first().textContent()) ?? '';
    assert.match(first, /shard_of/, first);
    assert.match(first, /named after shard_of/, first);
    // The quick pick fades in: its screenshot is taken once it has.
    await page.waitForTimeout(500);
    await screenshot(page, 'perf-lab-suggested-benchmarks');
    await page.keyboard.press('Escape');
  });
});
