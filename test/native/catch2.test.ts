/**
 * A real Catch2 (Debian's catch2, installed by scripts/setup.sh): a benchmark found in the source,
 * run by the command line its adapter builds, runs its own test case and no other, even when the
 * test case's name is Catch2 syntax.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchCommandFor, discoverBenchmarks } from '../../src/core/bench';

const header = '/usr/include/catch2/catch.hpp';

// Names that Catch2 would read as an option (leading --), a list (,), a tag ([...]) and
// wildcards (*), next to a test case whose name is a prefix of the first.
const source = `#define CATCH_CONFIG_MAIN
#define CATCH_CONFIG_ENABLE_BENCHMARKING
#include <catch2/catch.hpp>
static int work(int n) { int s = 0; for (int i = 0; i < n; i++) s += i * i; return s; }
TEST_CASE("--fast, [not a tag] *path*") {
  BENCHMARK("target") { return work(100); };
}
TEST_CASE("--fast") {
  BENCHMARK("prefix neighbour") { return work(100); };
}
TEST_CASE("~other") {
  BENCHMARK("other one") { return work(100); };
}
`;

describe('Catch2 test cases with names that are Catch2 syntax', () => {
  let binary: string;
  before(function () {
    this.timeout(120_000);
    if (!existsSync(header)) this.skip(); // scripts/setup.sh installs catch2
    const folder = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-catch2-'));
    writeFileSync(path.join(folder, 'bench.cpp'), source);
    binary = path.join(folder, 'bench');
    execFileSync('g++', ['-O1', '-o', binary, path.join(folder, 'bench.cpp')], { stdio: 'pipe' });
  });

  for (const [testCase, benchmark] of [
    ['--fast, [not a tag] *path*', 'target'],
    ['--fast', 'prefix neighbour'],
    ['~other', 'other one'],
  ] as const) {
    it(`runs only the test case "${testCase}" for its benchmark "${benchmark}"`, async () => {
      const found = discoverBenchmarks(source, path.join(path.dirname(binary), 'bench.cpp')).find((candidate) => candidate.id === benchmark)!;
      assert.equal(found.testCase, testCase);
      const command = await benchCommandFor(found, {
        file: path.join(path.dirname(binary), 'bench.cpp'),
        root: path.dirname(binary),
        revision: false,
        purpose: 'measure',
        args: ['--benchmark-samples', '3'],
        commands: [],
        resultsFile: (extension) => path.join(path.dirname(binary), `results.${extension}`),
        findExecutable: async (stem) => (stem === 'bench' ? binary : undefined),
      });
      const output = execFileSync('/bin/sh', ['-c', command.line], { cwd: command.cwd, encoding: 'utf8' });
      assert.match(output, /test cases: 1 \| 1 passed/);
      assert.deepEqual(
        command.results().benchmarks.map((result) => result.name),
        [benchmark],
      );
    });
  }
});
