// One build for every runtime Perf Lab has:
//   extension (Node, `vscode` external), language server (Node, everything bundled),
//   CLI (Node, everything bundled, executable), webviews (browser).
// Usage: node scripts/build.mjs [--watch] [--production] [--quiet]
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const quiet = process.argv.includes('--quiet');
const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: quiet ? 'warning' : 'info',
  define: { PERF_LAB_VERSION: JSON.stringify(version) },
};

/** @type {esbuild.BuildOptions} */
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

/** @type {esbuild.BuildOptions[]} */
const bundles = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...node, entryPoints: { server: 'server/server.ts' }, outdir: 'dist' },
  {
    ...node,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: { flame: 'webview/flame/main.ts', deltas: 'webview/deltas/main.ts' },
    outdir: 'dist/webview',
  },
];

const makeCliExecutable = {
  name: 'chmod-cli',
  setup(build) {
    build.onEnd(() => {
      try {
        chmodSync('dist/cli.js', 0o755);
      } catch {
        /* the CLI bundle failed; esbuild already reported why */
      }
    });
  },
};
bundles[2].plugins = [makeCliExecutable];

// A release build starts from an empty dist/ so no stale source map is packaged.
if (production) rmSync('dist', { recursive: true, force: true });

if (watch) {
  const contexts = await Promise.all(bundles.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('[build] watching for changes');
} else {
  const results = await Promise.allSettled(bundles.map((options) => esbuild.build(options)));
  if (results.some((result) => result.status === 'rejected')) process.exit(1);
}
