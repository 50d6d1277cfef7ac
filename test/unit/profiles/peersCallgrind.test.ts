/**
 * gprof2dot's callgrind test files (../shared/conformance/peers/callgrind-gprof2dot, jrfonseca/
 * gprof2dot d1ba70a): real profiles with recursion and cycles. Their `summary:`/`totals:` lines
 * are the exact totals, and each function's self cost is the integer sum of its own cost lines;
 * the stacks Perf Lab rebuilds from the call graph must add up to exactly that.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { functionStats, importProfileBytes, totalWeight } from '../../../src/core/profiles';

const peers = path.resolve(__dirname, '../../../../../shared/conformance/peers/callgrind-gprof2dot');

describe('gprof2dot callgrind files (peers/callgrind-gprof2dot)', () => {
  const files = readdirSync(peers).filter((name) => name.endsWith('.callgrind'));

  it('has its five files', () => assert.equal(files.length, 5));

  for (const name of files) {
    it(`${name}: the total is the file's summary, every self cost a whole number`, () => {
      const text = readFileSync(path.join(peers, name), 'utf8');
      const summary = Number(/^(?:summary|totals):\s*(\d+)/m.exec(text)![1]);
      const profile = importProfileBytes(Buffer.from(text), name);
      assert.equal(totalWeight(profile), summary);
      const stats = functionStats(profile);
      assert.equal(
        stats.reduce((sum, stat) => sum + stat.self, 0),
        summary,
      );
      for (const stat of stats) assert.ok(Number.isInteger(stat.self), `${stat.name} self ${stat.self}`);
    });
  }

  it("bool.callgrind: main's self cost is its own cost lines (15), not what recursion pushed onto it", () => {
    const profile = importProfileBytes(readFileSync(path.join(peers, 'bool.callgrind')), 'bool.callgrind');
    assert.equal(functionStats(profile).find((stat) => stat.name === 'main')!.self, 15);
  });
});

describe('callgrind call graphs of hostile shapes', () => {
  it('a call chain 5,000 functions deep is walked without overflowing the stack', () => {
    const n = 5000;
    const lines = ['# callgrind format', 'events: Ir'];
    for (let i = 0; i < n; i++) {
      lines.push(`fn=f${i}`, `${i + 1} 1`);
      if (i + 1 < n) lines.push(`cfn=f${i + 1}`, 'calls=1 0', `${i + 1} ${n - i - 1}`);
    }
    const profile = importProfileBytes(Buffer.from(`${lines.join('\n')}\n`), 'chain.callgrind');
    assert.equal(totalWeight(profile), n);
    const stats = functionStats(profile);
    assert.deepEqual([stats.find((stat) => stat.name === 'f0')!.total, stats.find((stat) => stat.name === 'f4999')!.self], [n, 1]);
  });

  it('200 functions each calling all later ones (19,900 calls) add up exactly', () => {
    const n = 200;
    const lines = ['# callgrind format', 'events: Ir'];
    for (let i = 0; i < n; i++) {
      lines.push(`fn=f${i}`, `${i + 1} 10`);
      for (let j = i + 1; j < n; j++) lines.push(`cfn=f${j}`, 'calls=1 0', `${i + 1} 3`);
    }
    const profile = importProfileBytes(Buffer.from(`${lines.join('\n')}\n`), 'dense.callgrind');
    assert.equal(totalWeight(profile), 10 * n);
    for (const stat of functionStats(profile)) assert.equal(stat.self, 10, stat.name);
  });
});

describe('callgrind cycles', () => {
  it('a cycle a -> b -> a adds up to the costs of its own lines (30), not more', () => {
    const text = [
      'events: Ir',
      'fn=main',
      '1 0',
      'cfn=a',
      'calls=1 0',
      '2 40',
      'fn=a',
      '10 10',
      'cfn=b',
      'calls=1 0',
      '11 30',
      'fn=b',
      '20 20',
      'cfn=a',
      'calls=1 0',
      '21 10',
      'fn=a',
      '12 0',
      '',
    ].join('\n');
    const profile = importProfileBytes(Buffer.from(`# callgrind format\n${text}`), 'cycle.callgrind');
    assert.equal(totalWeight(profile), 30);
    const self = Object.fromEntries(functionStats(profile).map((stat) => [stat.name, stat.self]));
    assert.deepEqual(self, { main: 0, a: 10, b: 20 });
  });
});
