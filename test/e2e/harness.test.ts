/** The integration harness must not report green when a test inside VS Code fails. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runTestsInVsCode } from '../vscode/runInVsCode';
import { exampleWorkspace, repoRoot } from '../vscode/tools';

describe('tests inside the real VS Code', () => {
  it('turn the whole run red when one of them fails', async () => {
    const run = await runTestsInVsCode({
      testsPath: path.join(repoRoot, 'out/test/integration-failing/index.js'),
      folder: exampleWorkspace(),
      timeoutMs: 120_000,
    });
    assert.equal(run.passed, false);
    assert.equal(run.exitCode, 1, 'the workbench reports the failure through codeAutomationExit');
    assert.equal(run.results?.tests, 2);
    assert.equal(run.results?.passes, 1, 'the suite really ran inside VS Code');
    assert.deepEqual(
      run.results?.failed.map((failure) => failure.title),
      ['a deliberately failing suite fails'],
    );
    assert.ok(
      run.lines.some((line) => line.includes('this failure must turn the run red')),
      run.lines.join('\n'),
    );
  });
});
