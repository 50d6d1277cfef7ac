/** `perf-lab ideas`: the JSON shape is a contract (README, "CLI"). */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/cli';

const nativeCore = path.resolve(__dirname, '../../../examples/native-core');

async function cli(cwd: string, ...argv: string[]) {
  const previous = process.cwd();
  process.chdir(cwd);
  let out = '';
  let err = '';
  try {
    const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text) });
    return { code, out, err };
  } finally {
    process.chdir(previous);
  }
}

/** A copy of the example's docs and sources, so tests can write to it. */
function workspaceCopy(): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-ideas-'));
  for (const folder of ['docs', 'rust/wordfreq/src', 'cpp/src']) cpSync(path.join(nativeCore, folder), path.join(copy, folder), { recursive: true });
  return copy;
}

describe('perf-lab ideas', () => {
  it('--json lists the workspace idea documents with resolved and unresolved locations', async () => {
    const { code, out, err } = await cli(nativeCore, 'ideas', '--json');
    assert.equal(code, 0, err);
    const result = JSON.parse(out);
    assert.deepEqual(Object.keys(result), ['ideas', 'byStatus']);
    const first = result.ideas[0];
    assert.deepEqual(Object.keys(first), ['id', 'title', 'document', 'line', 'section', 'status', 'impact', 'locations']);
    assert.equal(first.document, 'docs/perf/ideas.md');
    assert.equal(first.status, 'To do');
    assert.deepEqual(first.section, ['Performance ideas: native-core', 'Rust: wordfreq', 'Tier 1: easy wins']);
    assert.deepEqual(first.locations[0], { text: 'rust/wordfreq/src/lib.rs:40', file: 'rust/wordfreq/src/lib.rs', line: 40, resolved: true });
    const simd = result.ideas.find((idea: { title: string }) => idea.title === 'SIMD lower-casing');
    assert.deepEqual(simd.locations[0], { text: 'rust/wordfreq/src/tokenize.rs:12', file: null, line: 12, resolved: false });
    const symbol = result.ideas.find((idea: { document: string; title: string }) => idea.document.endsWith('optimization-tasks.md') && idea.title === 'Hash the shard salt once');
    assert.equal(symbol.locations[0].file, 'rust/wordfreq/src/lib.rs');
    const lib = readFileSync(path.join(nativeCore, 'rust/wordfreq/src/lib.rs'), 'utf8').split('\n');
    assert.match(lib[symbol.locations[0].line - 1], /pub fn shard_of/);
    assert.equal(
      Object.values(result.byStatus).reduce((a: number, b) => a + (b as number), 0),
      result.ideas.length,
    );
  });

  it('set prints a one-line unified diff and writes only with --write', async () => {
    const copy = workspaceCopy();
    const file = 'docs/perf/ideas.md';
    const before = readFileSync(path.join(copy, file), 'utf8');
    const dry = await cli(copy, 'ideas', 'set', `${file}:16`, '--status', 'Done');
    assert.equal(dry.code, 0, dry.err);
    assert.deepEqual(
      dry.out.split('\n').filter((line) => /^[-+]\|/.test(line)),
      [
        '-| Hash the shard salt once | To do | | | `rust/wordfreq/src/lib.rs:111` hashes a 480-byte salt per word; precompute it in a `const fn` or a `OnceLock` |',
        '+| Hash the shard salt once | Done  | | | `rust/wordfreq/src/lib.rs:111` hashes a 480-byte salt per word; precompute it in a `const fn` or a `OnceLock` |',
      ],
    );
    assert.equal(readFileSync(path.join(copy, file), 'utf8'), before, 'nothing written without --write');
    const written = await cli(copy, 'ideas', 'set', `${file}:16`, '--status', 'Done', '--measured', '-48% median', '--write');
    assert.equal(written.code, 0);
    const after = readFileSync(path.join(copy, file), 'utf8');
    assert.ok(after.includes('| Hash the shard salt once | Done  | -48% median | |'));
    assert.equal(after.split('\n').length, before.split('\n').length);
  });

  it("set --write changes only the target line's bytes: an invalid UTF-8 byte elsewhere stays (0xE9 is not turned into U+FFFD)", async () => {
    const copy = workspaceCopy();
    const file = path.join(copy, 'docs/perf/latin1.md');
    const before = Buffer.concat([
      Buffer.from('# Ideas\n\nCaf'),
      Buffer.from([0xe9]), // Latin-1 "é" in a UTF-8 file, as real files have
      Buffer.from(' notes\n\n| Idea | Status |\n|------|--------|\n| Hash once | To do |\n'),
    ]);
    writeFileSync(file, before);
    const result = await cli(copy, 'ideas', 'set', 'docs/perf/latin1.md:7', '--status', 'Done', '--write');
    assert.equal(result.code, 0, result.err);
    const after = readFileSync(file);
    assert.ok(after.includes(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20])), 'the byte 0xE9 is still there');
    assert.ok(!after.includes(Buffer.from('\ufffd')), 'no replacement character was written');
    assert.equal(after.toString('latin1').replace('| Done  |', '| To do |'), before.toString('latin1'));
  });

  it('set refuses a line whose idea is not the --title given (a row inserted above since), and its id (from --json) finds the idea where it moved', async () => {
    const copy = workspaceCopy();
    const file = 'docs/perf/ideas.md';
    const absolute = path.join(copy, file);
    const listed = JSON.parse((await cli(copy, 'ideas', '--json')).out).ideas.find((idea: { title: string }) => idea.title === 'Hash the shard salt once');
    assert.equal(listed.line, 16);
    // Someone adds a row above it after the listing was taken.
    const lines = readFileSync(absolute, 'utf8').split('\n');
    lines.splice(14, 0, '| Inserted since | To do | | | |');
    writeFileSync(absolute, lines.join('\n'));
    const before = readFileSync(absolute, 'utf8');
    const stale = await cli(copy, 'ideas', 'set', `${file}:16`, '--title', 'Hash the shard salt once', '--status', 'Done', '--write');
    assert.equal(stale.code, 1);
    assert.match(stale.err, /^perf-lab: docs\/perf\/ideas\.md:16: the idea here is "Count words in a HashMap instead of a linear search", not "Hash the shard salt once"; nothing changed/);
    assert.equal(readFileSync(absolute, 'utf8'), before, 'the neighbour was not edited');
    const byId = await cli(copy, 'ideas', 'set', listed.id, '--status', 'Done', '--write');
    assert.equal(byId.code, 0, byId.err);
    const after = readFileSync(absolute, 'utf8').split('\n');
    assert.match(after[16]!, /^\| Hash the shard salt once \| Done {2}\|/);
    assert.match(after[15]!, /^\| Count words in a `HashMap` instead of a linear search \| To do \|/);
    const missing = await cli(copy, 'ideas', 'set', `${file}#no-such-idea`, '--status', 'Done');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /docs\/perf\/ideas\.md: no idea with the id docs\/perf\/ideas\.md#no-such-idea/);
  });

  it('names the file and line when there is no idea there', async () => {
    const copy = workspaceCopy();
    const result = await cli(copy, 'ideas', 'set', 'docs/perf/ideas.md:3', '--status', 'Done');
    assert.equal(result.code, 1);
    assert.equal(result.err, 'perf-lab: docs/perf/ideas.md:3: no idea on this line\n');
    assert.equal((await cli(copy, 'ideas', 'set', 'docs/perf/ideas.md')).code, 2);
  });
});
