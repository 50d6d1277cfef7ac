/**
 * Peak memory as a measure of experiments: GNU time around a run (a real /usr/bin/time and a real
 * process that allocates), and the comparison, report and verdict it gives.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canMeasurePeakMemory, peakMemoryCommand, readPeakMemory } from '../../../src/core/bench';
import { compareExperiment, Experiment, experimentMarkdown, measuredText, savedVerdict } from '../../../src/core/experiments';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-peak-'));

/** An experiment whose runs took about the same time but held `baselineMb` / `candidateMb` at their peak. */
function experiment(baselineMb: number, candidateMb: number, runs = 10): Experiment {
  const run = (side: 'baseline' | 'candidate', index: number) => ({
    side,
    at: `2026-12-03T10:00:${String(index).padStart(2, '0')}Z`,
    results: [{ name: 'wordfreq input=typical', unit: 'ns', samples: [1e8 + ((index * 7919) % 13) * 1e5] }],
    seconds: 1,
    peakMemoryBytes: (side === 'baseline' ? baselineMb : candidateMb) * 1e6 + ((index * 104729) % 17) * 1e4,
  });
  return {
    id: '004-index-line-numbers',
    title: 'Index line numbers, not copies',
    created: '2026-12-03T10:00:00Z',
    benchmark: { uri: 'file:///w/.vscode/settings.json', kind: 'hyperfine', id: 'wordfreq-index' },
    runs: [...Array.from({ length: runs }, (_, i) => run('baseline', i)), ...Array.from({ length: runs }, (_, i) => run('candidate', i))],
  };
}

describe('peak memory of experiment runs', () => {
  it('GNU time around a command line gives the peak RSS of the process it started', function () {
    if (!canMeasurePeakMemory()) this.skip(); // examples/native-core/setup.sh installs Debian's time
    const output = path.join(scratch, 'run.peak-rss');
    // 80 MB touched by a child of the shell: the largest process, not the shell, is measured.
    execFileSync('/bin/sh', ['-c', peakMemoryCommand(`echo start && ${process.execPath} -e 'Buffer.alloc(80e6).fill(1)' | cat`, output)], { stdio: 'pipe' });
    const bytes = readPeakMemory(output)!;
    assert.ok(bytes > 80e6 && bytes < 400e6, `${bytes} bytes`);
  });

  it("a failed command's status line comes before the figure; no figure is no measurement", () => {
    const output = path.join(scratch, 'failed.peak-rss');
    writeFileSync(output, 'Command exited with non-zero status 3\n40960\n');
    assert.equal(readPeakMemory(output), 40960 * 1024);
    writeFileSync(output, 'Command terminated by signal 9\n');
    assert.equal(readPeakMemory(output), undefined);
    assert.equal(readPeakMemory(path.join(scratch, 'missing')), undefined);
  });

  it('peak memory beside the time: shown, compared with the same statistics, the time deciding', () => {
    const comparison = compareExperiment(experiment(41.5, 6.2));
    assert.equal(comparison.decidedBy, 'time');
    assert.equal(comparison.memory!.verdict, 'KEEP');
    assert.ok(comparison.memory!.deltaPct < -80 && comparison.memory!.deltaPct > -90, `${comparison.memory!.deltaPct}`);
    assert.equal(comparison.verdict, comparison.rows[0]!.verdict, 'the time decides by default');
    assert.match(
      experimentMarkdown(experiment(41.5, 6.2), comparison),
      /Peak memory \(GNU time, each run's largest process; 10 baseline and 10 candidate runs\): 41\.\d MB -> 6\.\d MB, -8\d\.\d\d% \[.*\], p=.*, KEEP, beside the time, which decides the verdict\./,
    );
  });

  it('peak memory deciding: KEEP on a drop, a regression on a rise, the saved verdict and the idea text by memory', () => {
    const kept = compareExperiment(experiment(41.5, 6.2), {}, 'peak memory');
    assert.equal(kept.decidedBy, 'peak memory');
    assert.equal(kept.verdict, 'KEEP');
    const saved = savedVerdict(kept);
    assert.equal(saved.metric, 'peak memory');
    assert.match(measuredText(saved, '004-index-line-numbers'), /^-8\d\.\d% peak memory \[-8\d\.\d%, -8\d\.\d%\], p=[\d.e-]+ \(004-index-line-numbers\)$/);
    assert.equal(compareExperiment(experiment(6.2, 41.5), {}, 'peak memory').verdict, 'DISCARD (regression)');
    // Without memory measured on a side, the time decides whatever was asked.
    const timeOnly = experiment(41.5, 6.2);
    timeOnly.runs.forEach((run) => delete run.peakMemoryBytes);
    assert.equal(compareExperiment(timeOnly, {}, 'peak memory').decidedBy, 'time');
  });
});
