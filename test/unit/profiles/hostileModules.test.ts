/**
 * A profile names the files Perf Lab's symbolizer reads. Only regular ELF files are opened: a
 * module path to /dev/zero once drove addr2line past 4 GB, and a FIFO blocked the language server
 * for ever. Profiles themselves must be regular files too.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProfile, ProfileError, SymbolCache } from '../../../src/core/profiles';

describe('module paths a profile may make Perf Lab open', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-hostile-modules-'));
  const fifo = path.join(scratch, 'module.fifo');
  execFileSync('mkfifo', [fifo]);
  const notElf = path.join(scratch, 'notes.txt');
  writeFileSync(notElf, 'just text\n'.repeat(100));

  it('leaves devices, FIFOs and non-ELF files unread, names them, and finishes at once', async function () {
    this.timeout(10_000);
    const frames = ['/dev/zero', fifo, notElf].map((module, i) => `\t${(0x1000 + i).toString(16)} [unknown] (${module})\n`).join('');
    const file = path.join(scratch, 'hostile.perf.txt');
    writeFileSync(file, `app 1/1 [000] 1.0: 1 cpu-clock:\n${frames}\n`);
    const symbols = new SymbolCache();
    const started = Date.now();
    try {
      const profile = await loadProfile(file, { symbols });
      assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
      const warnings = profile.diagnostics.warnings.join('\n');
      for (const module of ['/dev/zero', fifo, notElf]) assert.match(warnings, new RegExp(`frames in ${module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} stay unresolved: not a regular ELF file`));
      assert.deepEqual(profile.functions.map((func) => func.name).sort(), ['[module.fifo]', '[notes.txt]', '[zero]', 'app']);
    } finally {
      symbols.dispose();
    }
  });

  it('does not read a FIFO or a device as a profile', async () => {
    for (const target of [fifo, '/dev/zero']) {
      await assert.rejects(loadProfile(target), (error: unknown) => error instanceof ProfileError && error.message === `${target}: not a regular file (a device, FIFO or folder): not read`);
    }
  });
});
