/**
 * Runs a mocha suite inside the extension host of a real VS Code (code-server in headless
 * Chromium), with this repository as the extension under development.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser } from './browser';
import { startCodeServer } from './codeServer';
import { repoRoot } from './tools';
import type { SuiteResults } from '../integration/mochaRunner';

export interface VsCodeRun {
  /** What the workbench reported through `codeAutomationExit` (0 passed, 1 failed). */
  exitCode: number;
  /** What the suite wrote itself; undefined when it never got to write. */
  results: SuiteResults | undefined;
  /** The suite's own console lines (they reach only the browser console). */
  lines: string[];
  passed: boolean;
}

export interface VsCodeRunOptions {
  /** Compiled suite entry exporting `run()`. */
  testsPath: string;
  folder: string;
  timeoutMs?: number;
  onLine?: (line: string) => void;
}

export const testLinePrefix = '[perf-lab-test] ';

export async function runTestsInVsCode(options: VsCodeRunOptions): Promise<VsCodeRun> {
  const resultsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'perf-lab-results-')), 'results.json');
  const server = await startCodeServer({
    folder: options.folder,
    smokeTestDriver: true,
    env: { PERF_LAB_TEST_RESULTS: resultsFile },
  });
  const browser = await launchBrowser();
  const lines: string[] = [];
  try {
    const page = await browser.newPage();
    let reportExit: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    page.on('console', (message) => {
      const text = message.text();
      const start = text.indexOf(testLinePrefix);
      if (start < 0) return;
      const line = text.slice(start + testLinePrefix.length);
      lines.push(line);
      options.onLine?.(line);
    });
    const url = server.workbenchUrl([
      ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
      ['extensionTestsPath', server.remoteUri(options.testsPath)],
    ]);
    await page.goto(url);
    const timeoutMs = options.timeoutMs ?? 300_000;
    const exitCode = await Promise.race([exit, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`the suite did not finish within ${timeoutMs / 1000} s`)), timeoutMs))]);
    const results = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults) : undefined;
    // Both must agree: the workbench's exit code and the suite's own count of what ran.
    // No test run is no pass, unless a grep (PERF_LAB_TEST_GREP) matched none of this suite's tests.
    const passed = exitCode === 0 && results !== undefined && (results.tests > 0 || process.env.PERF_LAB_TEST_GREP !== undefined) && results.failures === 0;
    return { exitCode, results, lines, passed };
  } finally {
    await browser.close();
    await server.stop();
  }
}
