import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { workspaceThresholds } from '../../../src/core/experiments';
import { compare, methodologyThresholds } from '../../../src/core/stats';

const example = path.resolve(__dirname, '../../../../examples/native-core');

describe('thresholds read from the methodology document', () => {
  it("reads every threshold of the example workspace's methodology.md, with its line", () => {
    const found = workspaceThresholds(example);
    assert.deepEqual(found.thresholds, { minRuns: 10, maxCv: 0.1, alpha: 0.05, keepImprovement: 0.05, minImprovement: 0.02, killFactor: 1.1 });
    assert.match(found.source!, /^docs\/perf\/methodology\.md \(lines \d+(, \d+)+\)$/);
  });

  it("a team's stricter numbers change the verdict; the setting still wins over the text", () => {
    const text = [
      '- At least 20 runs per side.',
      '- The CV must stay below 3%.',
      '| KEEP | p < 0.01 and at least 10% faster, with the whole interval beyond 5% |',
      '| KILL | past 2x the budget |',
    ].join('\n');
    const found = methodologyThresholds(text);
    assert.deepEqual(found.thresholds, { minRuns: 20, maxCv: 0.03, alpha: 0.01, keepImprovement: 0.1, minImprovement: 0.05, killFactor: 2 });
    assert.deepEqual(found.lines, { minRuns: 1, maxCv: 2, alpha: 3, keepImprovement: 3, minImprovement: 3, killFactor: 4 });

    // 12 runs, 7% faster: KEEP by the defaults, NOISY (too few runs) by this text.
    const before = Array.from({ length: 12 }, (_, i) => 100 + (i % 3) * 0.1);
    const after = before.map((value) => value * 0.93);
    assert.equal(compare(before, after).verdict, 'KEEP');
    assert.equal(compare(before, after, { thresholds: found.thresholds }).verdict, 'NOISY');

    const root = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-methodology-'));
    mkdirSync(path.join(root, 'docs/perf'), { recursive: true });
    writeFileSync(path.join(root, 'docs/perf/methodology.md'), text);
    assert.equal(workspaceThresholds(root, undefined, { minRuns: 5 }).thresholds.minRuns, 5);
  });

  it('a workspace without the document, or a document without numbers, keeps the defaults', () => {
    assert.deepEqual(workspaceThresholds(os.tmpdir(), 'no-such-methodology.md'), { thresholds: {} });
    assert.deepEqual(methodologyThresholds('# Methodology\n\nMeasure carefully.\n').thresholds, {});
  });
});
