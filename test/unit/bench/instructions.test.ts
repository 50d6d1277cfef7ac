import * as assert from 'node:assert/strict';
import { BenchParseError, callgrindFolderTotal, callgrindTotal, expandCommand, instructionCountLine } from '../../../src/core/bench';
import { compareExperiment, Experiment, experimentMarkdown, timedRuns } from '../../../src/core/experiments';
import { compareCounts } from '../../../src/core/stats';

describe('instruction counts (callgrind) as the second metric', () => {
  it('expands a command over its parameters as hyperfine names its results', () => {
    assert.deepEqual(expandCommand({ name: 'w', command: 'wf {size}/{input}.log {size}', parameters: { size: ['s', 'l'], input: ['a', 'b'] } }), [
      { name: 'w size=s input=a', line: 'wf s/a.log s' },
      { name: 'w size=s input=b', line: 'wf s/b.log s' },
      { name: 'w size=l input=a', line: 'wf l/a.log l' },
      { name: 'w size=l input=b', line: 'wf l/b.log l' },
    ]);
    assert.deepEqual(expandCommand({ name: 'w', command: 'wf' }), [{ name: 'w', line: 'wf' }]);
  });

  it('counts each command under callgrind into its own folder, the command quoted for the shell', () => {
    assert.equal(
      instructionCountLine(["grep -c 'it''s' x", 'true'], ['/tmp/a b/1', '/tmp/a b/2']),
      `valgrind --tool=callgrind --trace-children=yes --callgrind-out-file='/tmp/a b/1/%p.callgrind' sh -c 'grep -c '\\''it'\\'''\\''s'\\'' x' > /dev/null && valgrind --tool=callgrind --trace-children=yes --callgrind-out-file='/tmp/a b/2/%p.callgrind' sh -c 'true' > /dev/null`,
    );
  });

  it('reads the Ir total of each process and sums them; broken files name the file and line', () => {
    const file = (total: string) => `# callgrind format\nversion: 1\ncmd: wordfreq\nevents: Ir\nfn=(1) main\n3 100\nsummary: ${total}\ntotals: ${total}\n`;
    assert.equal(callgrindTotal(file('69410970'), 'a.callgrind'), 69410970);
    assert.equal(callgrindTotal('events: Ir Dr\nsummary: 12 4\n', 'b'), 12);
    assert.equal(
      callgrindFolderTotal(
        [
          { file: 'sh', text: file('228525') },
          { file: 'wordfreq', text: file('69410970') },
        ],
        'out',
      ),
      69639495,
    );
    const fails = (text: string, message: string) =>
      assert.throws(
        () => callgrindTotal(text, 'x.callgrind'),
        (error: Error) => error instanceof BenchParseError && error.message === message,
      );
    fails('events: Ir\nfn=(1) main\n', 'x.callgrind: callgrind output without "totals:" or "summary:": the run did not finish');
    fails('events: Dr\ntotals: 3\n', 'x.callgrind: callgrind counted "Dr", not instructions (Ir) first');
    fails('events: Ir\ntotals: many\n', 'x.callgrind:2: callgrind totals "many" is not a count');
    fails('{"not": "callgrind"}', 'x.callgrind: not a callgrind output file (no "events:" line)');
    assert.throws(() => callgrindFolderTotal([], 'out/1'), /out\/1: callgrind wrote no output file here/);
  });

  it('judges counts by the size of the change alone: no noise, no p-value', () => {
    assert.equal(compareCounts(1000, 800).verdict, 'KEEP');
    assert.equal(compareCounts(1000, 970).verdict, 'MAYBE');
    assert.equal(compareCounts(1000, 995).verdict, 'DISCARD');
    assert.equal(compareCounts(1000, 1010).verdict, 'DISCARD');
    assert.equal(compareCounts(1000, 1030).verdict, 'DISCARD (regression)');
    assert.equal(compareCounts(1000, 800).reason, '20.0% fewer instructions');
    assert.equal(compareCounts(1000, 900, { keepImprovement: 0.15 }).verdict, 'MAYBE', "the methodology's bars apply");
  });

  it('an experiment decided by instructions: counted runs apart from timed ones, both in the report', () => {
    const timed = (side: 'baseline' | 'candidate', ns: number) =>
      Array.from({ length: 10 }, (_, run) => ({ side, at: `t${run}`, seconds: 3, results: [{ name: 'wf light', unit: 'ns', samples: [ns + (run % 3), ns - (run % 2)] }] }));
    const counted = (side: 'baseline' | 'candidate', count: number) => ({
      side,
      at: 'later',
      metric: 'instructions' as const,
      results: [{ name: 'wf light', unit: 'instructions', samples: [count] }],
    });
    // Time: no detectable change (noisy); instructions: 30% fewer.
    const experiment: Experiment = {
      id: '007-hash-once',
      title: 'Hash once',
      created: 'now',
      benchmark: { uri: 'file:///w/.vscode/settings.json', kind: 'hyperfine', id: 'wordfreq' },
      runs: [...timed('baseline', 1000), counted('baseline', 69_639_495), ...timed('candidate', 1000), counted('candidate', 48_747_646)],
    };
    assert.equal(timedRuns(experiment).length, 20);
    assert.equal(timedRuns(experiment, 'candidate').length, 10);
    const byTime = compareExperiment(experiment, {}, 'time');
    assert.equal(byTime.decidedBy, 'time');
    assert.equal(byTime.verdict, 'DISCARD');
    assert.deepEqual(
      byTime.rows.map((row) => [row.name, row.unit, row.baseline.n]),
      [['wf light', 'ns', 10]],
      'counts are not mixed into the timed runs',
    );
    const byCounts = compareExperiment(experiment, {}, 'instructions');
    assert.equal(byCounts.decidedBy, 'instructions');
    assert.equal(byCounts.verdict, 'KEEP');
    assert.equal(byCounts.instructions[0]!.deltaPct.toFixed(2), '-30.00');
    const markdown = experimentMarkdown(experiment, byCounts);
    assert.match(markdown, /^Instructions \(callgrind, deterministic: one count a side\), which decide the verdict:$/m);
    assert.match(markdown, /^\| wf light \| 69,639,495 \| 48,747,646 \| -30\.00% \| KEEP \|$/m);
    assert.match(markdown, /baseline instructions count at later/);
    // Chosen but never counted (a criterion benchmark): time decides, and says so.
    const uncounted = { ...experiment, runs: experiment.runs.filter((run) => !run.metric) };
    assert.equal(compareExperiment(uncounted, {}, 'instructions').decidedBy, 'time');
    // REJECT still comes first.
    const rejected = { ...experiment, runs: [...experiment.runs, { side: 'candidate' as const, at: 'x', results: [], correctness: { command: 'cargo test', exitCode: 101 } }] };
    assert.equal(compareExperiment(rejected, {}, 'instructions').verdict, 'REJECT');
  });
});
