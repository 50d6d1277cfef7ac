/**
 * Runs the compiled `*.test.js` files of a folder with mocha inside the VS Code extension host.
 * Used by `index.ts` here (both runners: code-server and @vscode/test-electron) and by the
 * deliberately failing suite that proves a failure turns the run red.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface SuiteResults {
  tests: number;
  passes: number;
  failures: number;
  failed: { title: string; error: string }[];
}

const prefix = '[perf-lab-test] ';

/** Mocha's spec reporter reaches the browser console with unexpanded `%s`: report plain lines. */
class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.on('pass', (test) => console.log(`${prefix}  ✓ ${test.fullTitle()} (${test.duration ?? 0} ms)`));
    runner.on('fail', (test, error: Error) =>
      console.log(
        `${prefix}  ✗ ${test.fullTitle()}\n${prefix}      ${String(error.stack ?? error)
          .split('\n')
          .join(`\n${prefix}      `)}`,
      ),
    );
  }
}

export function runMochaSuite(folder: string, timeoutMs = 60_000): Promise<void> {
  // PERF_LAB_TEST_GREP runs only the tests whose titles match (for debugging one test).
  const grep = process.env.PERF_LAB_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: timeoutMs, color: false, reporter: LineReporter, ...(grep ? { grep: new RegExp(grep) } : {}) });
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(folder, file));
  }
  return new Promise((resolve, reject) => {
    const results: SuiteResults = { tests: 0, passes: 0, failures: 0, failed: [] };
    const runner = mocha.run((failures) => {
      const summary = `${results.passes} passed, ${results.failures} failed`;
      console.log(`${prefix}${summary}`);
      const resultsFile = process.env.PERF_LAB_TEST_RESULTS;
      if (resultsFile) writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      // With a grep, a suite none of whose tests match runs none, and that is no failure.
      if (failures > 0 || (results.tests === 0 && !grep)) reject(new Error(results.tests === 0 ? 'no tests ran' : summary));
      else resolve();
    });
    runner.on('test end', () => results.tests++);
    runner.on('pass', () => results.passes++);
    runner.on('fail', (test, error: Error) => {
      results.failures++;
      results.failed.push({ title: test.fullTitle(), error: String(error.message ?? error) });
    });
  });
}
