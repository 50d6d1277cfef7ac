/** `perf-lab flame`: a self-contained HTML file, its data escaped, its script allowed by hash. */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runCli } from '../../src/cli/cli';
import { evilNames, exportEvilFlameGraph } from '../fixtures/evilFlame';

describe('perf-lab flame', () => {
  it('writes one HTML file whose only script is allowed by its hash', async () => {
    const html = readFileSync(await exportEvilFlameGraph(), 'utf8');
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    const hash = createHash('sha256').update(scripts[0]![1]!).digest('base64');
    assert.ok(html.includes(`script-src 'sha256-${hash}'`), 'the CSP allows exactly that script');
    assert.ok(html.includes("default-src 'none'"));
  });

  it('keeps symbol names as data: no markup, and they read back exactly', async () => {
    const html = readFileSync(await exportEvilFlameGraph(), 'utf8');
    for (const name of evilNames) assert.ok(!html.includes(name), `${name} appears raw in the file`);
    const data = /<script type="application\/json" id="perf-lab-flame-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const tree = JSON.parse(data).tree;
    assert.deepEqual(tree.children[0].children.map((child: { name: string }) => child.name).sort(), [...evilNames, 'plain'].sort());
  });

  it('says what is missing', async () => {
    let err = '';
    const code = await runCli(['flame', 'x.folded'], { out: () => undefined, err: (text) => (err += text) });
    assert.equal(code, 2);
    assert.match(err, /flame needs FILE and -o OUT\.html/);
  });
});
