import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/cli';
import { perfLabVersion } from '../../src/core/version';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('perf-lab CLI', () => {
  it('prints its version', async () => {
    const result = await cli('--version');
    assert.deepEqual(result, { code: 0, out: `${perfLabVersion}\n`, err: '' });
  });

  it('shows help on request and exits 0', async () => {
    const result = await cli('help');
    assert.equal(result.code, 0);
    assert.match(result.out, /^Usage: perf-lab <command>/);
  });

  it('rejects an unknown command on stderr with exit code 2', async () => {
    const result = await cli('frobnicate');
    assert.equal(result.code, 2);
    assert.equal(result.out, '');
    assert.match(result.err, /unknown command 'frobnicate'/);
  });

  it('rejects an option a command does not know, and a missing value, with exit code 2 (a typo is not ignored)', async () => {
    const typo = await cli('profile', 'summary', 'x.folded', '--jsno');
    assert.equal(typo.code, 2);
    assert.match(typo.err, /Unknown option '--jsno'/);
    const missing = await cli('compare', 'a.json', 'b.json', '--methodology');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--methodology/);
    const top = await cli('profile', 'summary', 'x.folded', '--top', '-3');
    assert.equal(top.code, 2);
    assert.match(top.err, /--top needs a positive whole number, not '-3'/, 'a value starting with a dash is still the value');
  });

  it('runs as the bundled executable named by package.json bin', () => {
    const root = path.resolve(__dirname, '../../..');
    const bin = path.join(root, (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['perf-lab']!);
    assert.equal(execFileSync(bin, ['--version'], { encoding: 'utf8' }), `${perfLabVersion}\n`);
    const usage = spawnSync(bin, [], { encoding: 'utf8' });
    assert.equal(usage.status, 2, 'no command is a usage error');
  });

  it('ends quietly when the reader closes the pipe (perf-lab ... | head -n 1)', () => {
    const root = path.resolve(__dirname, '../../..');
    const bin = path.join(root, (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['perf-lab']!);
    const folded = path.join(mkdtempSync(path.join(os.tmpdir(), 'perf-lab-epipe-')), 'many.folded');
    // Far more output than a pipe buffer holds, so the writes go on after head has exited.
    writeFileSync(folded, Array.from({ length: 50_000 }, (_, i) => `main;function_${i} ${i + 1}`).join('\n'));
    const piped = spawnSync('bash', ['-c', `"${bin}" profile fold "${folded}" | head -n 1; echo "exit \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    assert.match(piped.stdout, /^main;function_\d+ \d+\n$/);
    assert.equal(piped.stderr, 'exit 0\n', 'no EPIPE stack on stderr');
  });
});
