/**
 * The batch symbolizer against a real binary compiled here (gcc -g), with the machine's
 * addr2line (and llvm-addr2line when installed).
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Addr2line, importProfileBytes, loadProfile, SymbolCache, symbolizeProfile } from '../../../src/core/profiles';
import { offsetToVirtual, readElf } from '../../../src/core/profiles/elf';
import { functionStats, lineStats } from '../../../src/core/profiles/views';
import { processedTables } from './processedTables';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-symbols-'));
const source = path.join(scratch, 'hot.c');
const binary = path.join(scratch, 'hot');
const program = `#include <stdio.h>
static volatile long sink;
__attribute__((noinline)) long hot(long n) {
  long total = 0;
  for (long i = 0; i < n; i++) total += i * i;
  return total;
}
int main(void) {
  sink = hot(1000);
  printf("%ld\\n", sink);
  return 0;
}
`;

/** Virtual address of a symbol from nm. */
function symbolAddress(name: string): number {
  const line = execFileSync('nm', [binary], { encoding: 'utf8' })
    .split('\n')
    .find((entry) => entry.endsWith(` ${name}`));
  assert.ok(line, `${name} not in nm output`);
  return parseInt(line.split(' ')[0]!, 16);
}

/** The file offset perf script would print for a virtual address. */
function fileOffset(address: number): number {
  const segments = execFileSync('readelf', ['-lW', binary], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim().startsWith('LOAD'))
    .map((line) =>
      line
        .trim()
        .split(/\s+/)
        .slice(1, 5)
        .map((field) => parseInt(field, 16)),
    );
  const segment = segments.find(([offset, vaddr, , fileSize]) => address >= vaddr! && address < vaddr! + fileSize! && offset !== undefined);
  assert.ok(segment);
  return address - segment[1]! + segment[0]!;
}

describe('symbolization with addr2line', () => {
  before(function () {
    if (spawnSync('gcc', ['--version']).status !== 0) this.skip();
    writeFileSync(source, program);
    execFileSync('gcc', ['-g', '-O0', '-fPIE', '-pie', '-o', binary, source]);
  });

  it('reads the loadable segments and build-id of an ELF file', () => {
    const elf = readElf(binary)!;
    assert.ok(elf.segments.length >= 2);
    assert.match(elf.buildId ?? '', /^[0-9a-f]{16,}$/);
    const hot = symbolAddress('hot');
    assert.equal(offsetToVirtual(elf, fileOffset(hot)), hot);
    assert.equal(readElf(source), undefined, 'not an ELF file');
  });

  for (const command of ['addr2line', 'llvm-addr2line']) {
    it(`resolves many addresses in one ${command} process, in order`, async function () {
      if (spawnSync(command, ['--version']).status !== 0) this.skip();
      const symbolizer = new Addr2line(binary, command);
      try {
        const hot = symbolAddress('hot');
        const main = symbolAddress('main');
        const answers = await symbolizer.resolve([hot, main, 0x7fffffff0000]);
        assert.deepEqual(answers.get(hot), [{ function: 'hot', file: source, line: 3 }]);
        assert.deepEqual(answers.get(main), [{ function: 'main', file: source, line: 8 }]);
        assert.deepEqual(
          answers.get(0x7fffffff0000)!.map((location) => location.file),
          [undefined],
        );
        // A second batch on the same process.
        const again = await symbolizer.resolve([hot + 4]);
        assert.equal(again.get(hot + 4)![0]!.file, source);
      } finally {
        symbolizer.dispose();
      }
    });
  }

  it('gives perf script frames (file offsets) their source lines', async () => {
    const hot = fileOffset(symbolAddress('hot') + 8);
    const main = fileOffset(symbolAddress('main') + 8);
    const perf = `hot 1/1 [000] 1.0: 1 cpu-clock:\n\t${hot.toString(16)} hot (${binary})\n\t${main.toString(16)} main (${binary})\n\n`.repeat(3);
    const profile = importProfileBytes(Buffer.from(perf), 'hot.perf', { keepAddresses: true });
    const cache = new SymbolCache();
    try {
      const symbolized = await symbolizeProfile(profile, cache);
      const lines = lineStats(symbolized, source);
      // 8 bytes past each entry is past the prologue: the first line of each body.
      assert.deepEqual(
        lines.map((line) => line.line),
        [4, 9],
        JSON.stringify(lines),
      );
      assert.equal(lines[0]!.self, 3);
      assert.equal(symbolized.functions.find((f) => f.name === 'hot' && f.module === binary)!.file, source);
      // Unknown binaries keep their frames.
      const missing = importProfileBytes(Buffer.from(perf.replaceAll(binary, '/nonexistent/bin')), 'x.perf', { keepAddresses: true });
      assert.equal(await symbolizeProfile(missing, cache), missing);
    } finally {
      cache.dispose();
    }
  });

  it('names the frames perf left [unknown] in a binary it did not read (as under /tmp/perf-*)', async () => {
    const hot = fileOffset(symbolAddress('hot') + 8);
    const main = fileOffset(symbolAddress('main') + 8);
    // perf script 6.1 on a binary under /tmp/perf-*, which it takes for a JIT map file.
    const perf = `hot 1/1 [000] 1.0: 1 cpu-clock:\n\t${hot.toString(16)} [unknown] (${binary})\n\t${main.toString(16)} [unknown] (${binary})\n\n`.repeat(2);
    const profile = importProfileBytes(Buffer.from(perf), 'hot.perf', { keepAddresses: true });
    const inBinary = (stats: ReturnType<typeof functionStats>) => stats.filter((stat) => stat.module === binary);
    assert.deepEqual(
      inBinary(functionStats(profile)).map((stat) => stat.name),
      ['[hot]'],
      'perf-unnamed frames import as [module]',
    );
    const cache = new SymbolCache();
    try {
      const symbolized = await symbolizeProfile(profile, cache);
      const stats = inBinary(functionStats(symbolized));
      assert.deepEqual(
        stats.map((stat) => [stat.name, stat.self, stat.file]),
        [
          ['hot', 2, source],
          ['main', 0, source],
        ],
      );
    } finally {
      cache.dispose();
    }
  });

  // samply writes unsymbolicated frames: functions named "0x…" and addresses relative to the
  // library's base. A position-independent binary's base is 0; a classic one's is 0x400000.
  for (const pie of [true, false]) {
    it(`names and places samply's unsymbolicated frames (${pie ? 'PIE' : 'non-PIE'} binary)`, async () => {
      const target = pie ? binary : path.join(scratch, 'hot-nopie');
      if (!pie) execFileSync('gcc', ['-g', '-O0', '-no-pie', '-o', target, source]);
      const base = pie ? 0 : 0x400000;
      const address = (name: string) => {
        const line = execFileSync('nm', [target], { encoding: 'utf8' })
          .split('\n')
          .find((entry) => entry.endsWith(` ${name}`))!;
        return parseInt(line.split(' ')[0]!, 16) + 8 - base;
      };
      const [hot, main] = [address('hot'), address('main')];
      const frames = [
        { name: `0x${main.toString(16)}`, lib: 0, address: main },
        { name: `0x${hot.toString(16)}`, lib: 0, address: hot },
      ];
      const built = processedTables([
        { frames, weight: 5 },
        { frames: frames.slice(0, 1), weight: 1 },
      ]);
      const document = {
        meta: { version: 24, interval: 1 },
        libs: [{ name: path.basename(target), path: target, debugName: path.basename(target), debugPath: target, breakpadId: '', arch: 'x86_64' }],
        threads: [{ name: 'hot-thread', samples: built.samples }],
        shared: { ...built.tables, stringArray: built.strings },
      };
      const file = path.join(scratch, `samply-${pie ? 'pie' : 'nopie'}.json.gz`);
      writeFileSync(file, gzipSync(JSON.stringify(document)));
      const cache = new SymbolCache();
      try {
        const profile = await loadProfile(file, { symbols: cache });
        const stats = functionStats(profile).filter((stat) => stat.name === 'hot' || stat.name === 'main');
        assert.deepEqual(
          stats.map((stat) => [stat.name, stat.file, stat.self, stat.total]),
          [
            ['hot', source, 5, 5],
            ['main', source, 1, 6],
          ],
        );
        assert.deepEqual(
          lineStats(profile, source).map((line) => line.line),
          [4, 9],
        );
      } finally {
        cache.dispose();
      }
    });
  }
});
