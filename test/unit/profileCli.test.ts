/** `perf-lab profile ...`: the JSON shapes are a contract (README, "CLI"). */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/cli';

const conformance = path.resolve(__dirname, '../../../../shared/conformance/profiles');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-cli-'));

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('perf-lab profile', () => {
  it('summary --json has the documented shape, sorted by self', async () => {
    const file = path.join(conformance, 'speedscope/callgrind/callgrind.example.log');
    const { code, out, err } = await cli('profile', 'summary', file, '--json');
    assert.equal(code, 0, err);
    const summary = JSON.parse(out);
    assert.deepEqual(Object.keys(summary), ['format', 'sampleType', 'totalWeight', 'samples', 'functions']);
    assert.equal(summary.format, 'callgrind');
    assert.equal(summary.sampleType, 'Instructions');
    assert.equal(summary.totalWeight, 820);
    assert.deepEqual(summary.functions[0], { name: 'func2', file: 'file2.c', line: 20, self: 700, total: 700, selfPct: 85.37, totalPct: 85.37 });
    assert.deepEqual(
      summary.functions.map((f: { name: string }) => f.name),
      ['func2', 'func1', 'main'],
    );
  });

  it('summary --top limits the list; text output is a table', async () => {
    const file = path.join(conformance, 'flamegraph/example-perf-stacks.txt.gz');
    const { code, out } = await cli('profile', 'summary', file, '--top', '5');
    assert.equal(code, 0);
    const lines = out.trim().split('\n');
    assert.match(lines[0]!, /^perf-script: 1315 samples, total 1315 samples/);
    assert.equal(lines.length, 1 + 1 + 5);
  });

  it('fold writes one "a;b;c N" line per unique stack', async () => {
    const { out } = await cli('profile', 'fold', path.join(conformance, 'flamegraph/example-perf-stacks.txt.gz'));
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 710);
    assert.equal(
      lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0),
      1315,
    );
    assert.ok(lines.every((line) => /^[^;]+(;[^;]+)* \d+$/.test(line)));
  });

  it('diff --json compares two profiles per function', async () => {
    const before = path.join(scratch, 'before.folded');
    const after = path.join(scratch, 'after.folded');
    writeFileSync(before, 'main;parse 50\nmain;render 50\n');
    writeFileSync(after, 'main;parse 50\nmain;render 150\n');
    const { code, out } = await cli('profile', 'diff', before, after, '--json');
    assert.equal(code, 0);
    const diff = JSON.parse(out);
    assert.deepEqual(Object.keys(diff), ['totalBefore', 'totalAfter', 'normalized', 'scale', 'functions']);
    const render = diff.functions.find((f: { name: string }) => f.name === 'render');
    assert.deepEqual(render, { name: 'render', file: null, selfBefore: 100, selfAfter: 150, totalBefore: 100, totalAfter: 150, selfDelta: 50, totalDelta: 50 });
  });

  it('errors go to stderr with the file and line, exit code 1', async () => {
    const bad = path.join(scratch, 'notes.txt');
    writeFileSync(bad, 'no profile here\n');
    const { code, out, err } = await cli('profile', 'summary', bad);
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.equal(err, `perf-lab: ${bad}:1: not a profile format Perf Lab reads (perf script text, folded stacks, callgrind, pprof, .cpuprofile, speedscope JSON, heaptrack, massif or DHAT)\n`);
    const missing = await cli('profile', 'summary', path.join(scratch, 'missing.data'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /missing\.data: ENOENT/);
  });

  it('usage mistakes exit with code 2', async () => {
    assert.equal((await cli('profile', 'summary')).code, 2);
    assert.equal((await cli('profile', 'frobnicate', 'x')).code, 2);
    assert.equal((await cli('profile', 'summary', 'x', '--top', 'many')).code, 2);
  });
});
