// Runs Perf Lab's test tiers and prints one closing line "N passed, N failed".
//   node scripts/test.mjs [unit|server|integration|e2e ...]   (default: every tier)
// Builds the bundles and compiles the tests first. Tiers:
//   unit         plain mocha over src/core and other vscode-free modules
//   server       the built language server over stdio, spoken to by a real LSP connection
//   native       examples/native-core with cargo, Google Benchmark, hyperfine, perf and callgrind
//   integration  mocha inside the extension host of a real VS Code (code-server + Chromium)
//   e2e          playwright drives the workbench; screenshots land in test-results/
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const allTiers = ['unit', 'server', 'native', 'integration', 'e2e'];
const tiers = process.argv.slice(2).length ? process.argv.slice(2) : allTiers;
for (const tier of tiers) {
  if (!allTiers.includes(tier)) {
    console.error(`unknown tier '${tier}' (known: ${allTiers.join(', ')})`);
    process.exit(2);
  }
}

const sh = (command) => {
  try {
    execSync(command, { cwd: root, stdio: 'inherit' });
  } catch {
    console.error(`\`${command}\` failed; no tests ran.\n\n0 passed, 1 failed`);
    process.exit(1);
  }
};
sh('node scripts/build.mjs --quiet');
sh('npx tsc -p webview --noEmit');
sh('npx tsc -p .');
// Lint with the layer rules (eslint.config.mjs) whenever the unit tier runs, so every full run does.
if (tiers.includes('unit')) sh('npx eslint --max-warnings 0 .');
// And the formatter: one style, so diffs show changes, not reformatting (npm run format fixes it).
if (tiers.includes('unit')) sh('npm run --silent format:check');

const timeouts = { unit: 20_000, server: 30_000, native: 300_000, e2e: 480_000 };
let passed = 0;
let failed = 0;

function testFiles(folder) {
  const files = [];
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) files.push(...testFiles(file));
    else if (name.endsWith('.test.js')) files.push(file);
  }
  return files.sort();
}

async function runMochaTier(tier) {
  const Mocha = require('mocha');
  const grep = process.env.PERF_LAB_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: timeouts[tier], reporter: 'spec', ...(grep ? { grep: new RegExp(grep) } : {}) });
  for (const file of testFiles(path.join(root, 'out/test', tier))) mocha.addFile(file);
  await mocha.loadFilesAsync();
  return new Promise((resolve) => {
    const counts = { passes: 0, failures: 0 };
    const runner = mocha.run(() => resolve(counts));
    runner.on('pass', () => counts.passes++);
    runner.on('fail', () => counts.failures++);
  });
}

async function runIntegrationTier(workspace) {
  const { runTestsInVsCode } = require(path.join(root, 'out/test/vscode/runInVsCode.js'));
  const run = await runTestsInVsCode({
    testsPath: path.join(root, 'out/test/integration/index.js'),
    folder: workspace,
    // Experiments take 10 runs a side and build two worktrees: ~5 min for the tier on a quiet
    // machine, 10 on a loaded one; the limit leaves room for twice that.
    timeoutMs: 1_800_000,
    onLine: (line) => console.log(line),
  });
  const counts = countsOf(run, 'integration');
  // Then a multi-root workspace: a notes folder first, the example second.
  const multiRoot = multiRootWorkspace(workspace);
  try {
    const second = await runTestsInVsCode({
      testsPath: path.join(root, 'out/test/integration-multiroot/index.js'),
      folder: multiRoot.file,
      timeoutMs: 600_000,
      onLine: (line) => console.log(line),
    });
    const more = countsOf(second, 'multi-root integration');
    return { passes: counts.passes + more.passes, failures: counts.failures + more.failures };
  } finally {
    rmSync(multiRoot.folder, { recursive: true, force: true });
  }
}

function countsOf(run, name) {
  if (!run.passed) console.log(`${name} run failed: workbench exit code ${run.exitCode}, results ${JSON.stringify(run.results)}`);
  const passes = run.results?.passes ?? 0;
  // A run that never reported counts as one failure, never as zero.
  const failures = run.passed ? 0 : Math.max(1, run.results?.failures ?? 0);
  return { passes, failures };
}

/** A .code-workspace of two folders: notes (idea documents and settings of its own) and `example`. */
function multiRootWorkspace(example) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-multiroot-'));
  const notes = path.join(folder, 'notes');
  mkdirSync(path.join(notes, 'docs'), { recursive: true });
  writeFileSync(path.join(notes, 'docs/ideas.md'), '# Notes ideas\n\n| Idea | Status |\n|------|--------|\n| Cache the parser (multi-root) | To do |\n');
  // Its own idea documents setting (a folder setting): its plans are ideas there, not in the example.
  mkdirSync(path.join(notes, '.vscode'));
  mkdirSync(path.join(notes, 'plans/q3'), { recursive: true });
  writeFileSync(path.join(notes, '.vscode/settings.json'), JSON.stringify({ 'perfLab.ideas.documents': ['docs/*.md', 'plans/**/*.md'], 'perfLab.ideas.statuses': ['Parked'] }, null, 2));
  writeFileSync(path.join(notes, 'plans/q3/ideas.md'), '# Q3 plans\n\n| Idea | Status |\n|------|--------|\n| Batch the writes (notes plan) | Parked |\n');
  const file = path.join(folder, 'perf-lab.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: [{ path: notes }, { path: example }] }, null, 2));
  return { folder, file };
}

// The tiers that open VS Code edit source, record experiments and write results: each gets its
// own copy of the example (a git repository of its own), removed afterwards.
const { copyExample, removeExampleCopy } = require(path.join(root, 'out/test/runner/exampleCopy.js'));
const { runGuarded } = require(path.join(root, 'out/test/runner/exampleGuard.js'));
const { nativeCoreFolder } = require(path.join(root, 'out/test/vscode/tools.js'));
const usesWorkspaceCopy = new Set(['integration', 'e2e']);

async function runTier(tier) {
  if (!usesWorkspaceCopy.has(tier)) return runMochaTier(tier);
  const workspace = copyExample(nativeCoreFolder);
  process.env.PERF_LAB_TEST_WORKSPACE = workspace;
  try {
    return tier === 'integration' ? await runIntegrationTier(workspace) : await runMochaTier(tier);
  } finally {
    delete process.env.PERF_LAB_TEST_WORKSPACE;
    removeExampleCopy(workspace);
  }
}

for (const tier of tiers) {
  console.log(`\n=== ${tier} tests ===`);
  const started = Date.now();
  let counts;
  try {
    // A tier that leaves the tracked example changed fails, whatever its tests said.
    counts = await runGuarded(root, 'examples', async () => {
      try {
        return await runTier(tier);
      } catch (error) {
        console.error(`${tier} tier crashed:`, error);
        return { passes: 0, failures: 1 };
      }
    });
    if (counts.changed.length) console.log(`${tier} tier changed the tracked example (put back where it was clean): ${counts.changed.join(', ')}`);
  } catch (error) {
    console.error(`${tier} tier crashed:`, error);
    counts = { passes: 0, failures: 1 };
  }
  console.log(`=== ${tier}: ${counts.passes} passed, ${counts.failures} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  passed += counts.passes;
  failed += counts.failures;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
