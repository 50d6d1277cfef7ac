/** `perf-lab flame FILE -o out.html`: a self-contained flame-graph HTML file. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { flameGraphHtml, flameTreeResult, loadProfile, SymbolCache } from '../core/profiles';
import { CliUsageError, commandArgs } from './args';
import { sampleTypeOf } from './profileCommand';
import type { CliIo } from './cli';

export const flameUsage = 'perf-lab flame FILE -o OUT.html [--width PIXELS] [--sample-type NAME] [--no-symbolize]';

/** The webview bundle and styles: next to dist/cli.js, or in dist/ when run from compiled tests. */
export function flameAssets(): { script: string; styles: string[] } {
  const roots = [path.resolve(__dirname, '..'), path.resolve(__dirname, '../../..')];
  for (const root of roots) {
    const script = path.join(root, 'dist/webview/flame.js');
    if (existsSync(script)) {
      const styles = [path.join(root, 'dist/webview/flame.css'), path.join(root, 'media/flame.css')].filter(existsSync).map((file) => readFileSync(file, 'utf8'));
      return { script: readFileSync(script, 'utf8'), styles };
    }
  }
  throw new Error('the flame-graph bundle (dist/webview/flame.js) is missing: run npm run build');
}

export async function runFlameCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = commandArgs(args, { output: { type: 'string', short: 'o' }, width: { type: 'string' }, 'sample-type': { type: 'string' }, 'no-symbolize': { type: 'boolean' } });
  const [file] = positionals;
  const output = values.output;
  if (!file || !output) throw new CliUsageError('flame needs FILE and -o OUT.html');
  const width = Number(values.width ?? 2400);
  if (!Number.isFinite(width) || width < 200) throw new CliUsageError('--width needs a number of pixels (200 or more)');
  const symbols = values['no-symbolize'] ? undefined : new SymbolCache();
  try {
    const profile = await loadProfile(file, symbols ? { symbols } : {});
    const result = flameTreeResult(profile, file, path.basename(file), { width, sampleType: sampleTypeOf(profile, values['sample-type']) });
    writeFileSync(output, flameGraphHtml({ ...flameAssets(), result }));
    io.out(`${output}: flame graph of ${path.basename(file)} by ${result.sampleType} (${profile.samples} samples)\n`);
    return 0;
  } finally {
    symbols?.dispose();
  }
}
