/**
 * `npm run test:electron`: the same integration suite in a desktop VS Code downloaded by
 * @vscode/test-electron, for machines that can reach the VS Code download servers. (The CI
 * machines cannot; they run the suite in code-server through scripts/test.mjs.)
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { nativeCoreFolder, repoRoot } from './tools';

runTests({
  extensionDevelopmentPath: repoRoot,
  extensionTestsPath: path.join(repoRoot, 'out/test/integration/index.js'),
  launchArgs: [nativeCoreFolder, '--disable-extensions', '--disable-workspace-trust'],
}).then(
  () => console.log('integration suite passed in desktop VS Code'),
  (error: unknown) => {
    console.error(`integration suite failed in desktop VS Code: ${String(error)}`);
    process.exit(1);
  },
);
