/** Where scripts/setup.sh installed the real VS Code and the browser (one source: tools-env.sh). */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { copyExample } from '../runner/exampleCopy';

export const repoRoot = path.resolve(__dirname, '../../..');
export const nativeCoreFolder = path.join(repoRoot, 'examples/native-core');
export const testResultsFolder = path.join(repoRoot, 'test-results');

export interface Tools {
  node24: string;
  /** code-server's entry script, run with `node24`. */
  codeServerEntry: string;
  chromium: string;
}

export function findTools(): Tools {
  const script = `. "${path.join(repoRoot, 'scripts/tools-env.sh')}"; printf '%s\\n' "$PERF_LAB_NODE24" "$PERF_LAB_CODE_SERVER" "$PERF_LAB_CHROMIUM"`;
  const [node24, codeServerBin, chromium] = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
  for (const [what, file] of [
    ['Node 24', node24],
    ['code-server', codeServerBin],
    ['Chromium', chromium],
  ] as const) {
    if (!file || !existsSync(file)) throw new Error(`${what} not found at ${file}: run \`npm run setup\` first`);
  }
  return { node24: node24!, codeServerEntry: realpathSync(codeServerBin!), chromium: chromium! };
}

let workspaceCopy: string | undefined;

/**
 * The example workspace the VS Code tiers open: the runner's own copy of examples/native-core
 * (PERF_LAB_TEST_WORKSPACE, made fresh for each tier by scripts/test.mjs), or one made here when a
 * test file runs on its own. Never the tracked example: tests change source and write experiments.
 */
export function exampleWorkspace(): string {
  if (process.env.PERF_LAB_TEST_WORKSPACE) return process.env.PERF_LAB_TEST_WORKSPACE;
  workspaceCopy ??= copyExample(nativeCoreFolder);
  return workspaceCopy;
}
