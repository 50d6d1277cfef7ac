/**
 * Targets as the teams' documents state them (two of them in ../shared/conformance/ideas), read
 * to figures in base units, linked to benchmark results by name or mapping, and judged.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/cli';
import { evaluateTarget, parseBound, parseQuantity, parseTargets, Target } from '../../../src/core/targets';

const conformance = path.resolve(__dirname, '../../../../../shared/conformance/ideas');
const example = path.resolve(__dirname, '../../../../examples/native-core/docs/perf/optimization-tasks.md');
const read = (name: string) => readFileSync(path.join(conformance, name), 'utf8');
const byName = (targets: Target[], name: string) => targets.find((target) => target.name === name)!;

describe('targets', () => {
  it('reads figures as documents write them, in base units (ns, bytes, per second)', () => {
    assert.deepEqual(parseQuantity('~12.68 ms.'), { value: 12_680_000, dimension: 'time', approximate: true, text: '~12.68 ms.' });
    assert.equal(parseQuantity('10,000 msg/s')!.value, 10_000);
    assert.equal(parseQuantity('10,000 msg/s')!.per, 'msg');
    assert.equal(parseQuantity('~3000 attempts/sec')!.dimension, 'rate');
    assert.equal(parseQuantity('~2GB')!.value, 2e9);
    assert.equal(parseQuantity('1.5k ops per second')!.value, 1500);
    assert.deepEqual([parseQuantity('2-3 minutes')!.value, parseQuantity('2-3 minutes')!.upTo], [120e9, 180e9]);
    assert.equal(parseQuantity('250 MB/s')!.per, 'bytes');
    assert.equal(parseQuantity('Variable'), undefined);
    assert.equal(parseQuantity('30x'), undefined, 'a speed-up factor is no figure to meet');
    assert.deepEqual(parseBound('< 500ms'), { op: '<', quantity: { value: 500e6, dimension: 'time', approximate: false, text: '500ms' } });
    assert.equal(parseBound('≥ 10,000 msg/s')!.op, '>=');
  });

  it("the rust node's target table: figures, directions, and a relative goal with no figure to start from", () => {
    const targets = parseTargets(read('rust-node-optimization-tasks.md'), 'rust-node-optimization-tasks.md');
    assert.deepEqual(
      targets.map((target) => target.name),
      ['Mining rate', 'Proof generation', 'Memory usage', 'Cold build', 'Network sync'],
    );
    const mining = byName(targets, 'Mining rate');
    assert.deepEqual([mining.direction, mining.goal!.quantity.value, mining.goal!.quantity.per, mining.current!.value], ['higher', 3000, 'attempts', 100]);
    assert.deepEqual([byName(targets, 'Proof generation').direction, byName(targets, 'Proof generation').goal!.quantity.value], ['lower', 100e6]);
    assert.deepEqual([byName(targets, 'Memory usage').current!.value, byName(targets, 'Memory usage').goal!.quantity.value], [2e9, 500e6]);
    assert.equal(byName(targets, 'Cold build').goal!.quantity.upTo, 60e9);
    const sync = byName(targets, 'Network sync');
    assert.equal(sync.goal, undefined);
    assert.equal(sync.relativeGoal, '50% faster');
    assert.equal(targets[0]!.line, 191);
  });

  it("the ethrex docs' baselines are measures to hold; a table of how to measure is no target", () => {
    const targets = parseTargets(read('perf-docs-readme.md'), 'perf-docs-readme.md');
    assert.deepEqual(
      targets.map((target) => [target.name, target.form, target.current!.value, target.direction]),
      [
        ['Mean block time', 'baseline', 12.68e6, 'lower'],
        ['Throughput', 'baseline', 669, 'higher'],
      ],
    );
    assert.deepEqual(parseTargets(read('ethrex-perf-ideas-tracking.md'), 'x.md'), []);
  });

  it('the other forms: critical columns, name: <100ms (was 450ms), arrows, alerting thresholds', () => {
    const text = [
      '# Targets',
      '',
      '| Metric | Target | Critical Threshold |',
      '|--------|--------|--------------------|',
      '| Block Processing Time | < 500ms | > 2s |',
      '',
      '## Benchmark Targets',
      '',
      '```yaml',
      'startup_time: <100ms (was 450ms)',
      'name: perf-lab',
      '```',
      '',
      '### Startup Time: 450ms → <100ms',
      '',
      '- Request Latency: 5-10ms → <1ms',
      '- **Memory Usage**: 66MB -> 20MB',
      '- Parsing: see the notes -> below',
      '',
      '## Alerting Thresholds',
      '',
      '- Crypto operation latency > 1ms',
      '- Network throughput < 10,000 msg/s',
      '',
    ].join('\n');
    const targets = parseTargets(text, 'targets.md');
    assert.deepEqual(
      targets.map((target) => [target.line, target.form, target.name]),
      [
        [5, 'table', 'Block Processing Time'],
        [10, 'inline', 'startup_time'],
        [14, 'arrow', 'Startup Time'],
        [16, 'arrow', 'Request Latency'],
        [17, 'arrow', 'Memory Usage'],
        [22, 'threshold', 'Crypto operation latency'],
        [23, 'threshold', 'Network throughput'],
      ],
    );
    const block = targets[0]!;
    assert.deepEqual([block.goal!.op, block.goal!.quantity.value, block.critical!.op, block.critical!.quantity.value], ['<', 500e6, '>', 2e9]);
    const startup = targets[1]!;
    assert.equal(startup.current!.value, 450e6);
    assert.equal(text.slice(startup.currentRange!.start, startup.currentRange!.end), '450ms', 'Record as Current writes over "was"');
    assert.equal(targets[6]!.direction, 'higher', 'a throughput alert below a rate: higher is better');
  });

  it('judges each target by the latest result: met, missed, critical, baselines held, rates from times', () => {
    const [block, mining, meanBlock, memory, crypto] = parseTargets(
      [
        '| Metric | Target | Critical |',
        '|---|---|---|',
        '| Block processing | < 500ms | > 2s |',
        '| Mining rate | ~3000 attempts/sec | |',
        '',
        '## Baseline',
        '',
        '- Mean block time: ~12.68 ms',
        '- Peak memory: 66MB -> 20MB',
        '',
        '## Alerting thresholds',
        '',
        '- Crypto latency > 1ms',
      ].join('\n'),
      't.md',
    );
    const status = (target: Target, name: string, value: number, unit: string) => evaluateTarget(target, [{ name, value, unit }]);
    assert.equal(status(block!, 'block_processing', 300, 'ms').status, 'met');
    assert.equal(status(block!, 'block_processing', 800, 'ms').summary, 'target < 500 ms · critical > 2 s · now 800 ms · missed');
    assert.equal(status(block!, 'block_processing', 2.5e9, 'ns').status, 'critical');
    // 250 µs per attempt is 4,000 attempts a second: past the 3,000 wanted.
    assert.equal(status(mining!, 'mining', 250, 'us').status, 'met');
    assert.equal(status(mining!, 'mining', 500, 'us').summary, 'target 3,000 attempts/s · now 2,000 attempts/s · missed');
    assert.equal(status(meanBlock!, 'mean block', 12.8, 'ms').status, 'met', 'within 2% of the baseline');
    assert.equal(status(meanBlock!, 'mean block', 13.5, 'ms').status, 'missed');
    assert.equal(status(memory!, 'peak memory', 18e6, 'bytes').status, 'met');
    assert.equal(status(memory!, 'peak memory', 18e6, 'ns').status, 'incomparable');
    assert.equal(status(crypto!, 'crypto', 0.4, 'ms').status, 'met');
    assert.equal(status(crypto!, 'crypto', 1.2, 'ms').status, 'critical');
    assert.equal(evaluateTarget(block!, [{ name: 'unrelated' }]).status, 'unlinked');
    assert.equal(evaluateTarget(block!, [{ name: 'block_processing', benchmark: 'block_processing' }]).status, 'unmeasured');
    assert.equal(evaluateTarget(block!, [{ name: 'import', value: 100, unit: 'ms' }], { 'Block processing': 'import' }).linkedBy, 'mapping');
  });

  it("the example's targets link to its benchmarks' results by name; a relative goal becomes one once Current is recorded", () => {
    const targets = parseTargets(readFileSync(example, 'utf8'), 'optimization-tasks.md');
    const results = [
      { name: 'wordfreq input=light', benchmark: 'wordfreq', value: 18e6, unit: 'ns' },
      { name: 'wordfreq input=heavy', benchmark: 'wordfreq', value: 2.4e9, unit: 'ns' },
      { name: 'tokenize_line', value: 310, unit: 'ns' },
      { name: 'count_words/typical', benchmark: 'count_words/*', value: 61_000, unit: 'ns' },
      { name: 'BM_Percentile/10000', value: 450_000, unit: 'ns' },
    ];
    const states = targets.map((target) => evaluateTarget(target, results));
    assert.deepEqual(
      states.map((state) => [state.target.name, state.measurement?.name, state.status]),
      [
        ['wordfreq inputs/heavy.log wall time', 'wordfreq input=heavy', 'critical'],
        ['tokenize_line', 'tokenize_line', 'met'],
        ['count_words/typical', 'count_words/typical', 'incomparable'],
        ['BM_Percentile/10000', 'BM_Percentile/10000', 'incomparable'],
      ],
    );
    assert.equal(states[2]!.summary, 'target 10x lower · now 61 µs · a relative target needs a Current figure · incomparable');
    const recorded = readFileSync(example, 'utf8').replace('| `count_words/typical` | measure |', '| `count_words/typical` | 61 µs |');
    const relative = parseTargets(recorded, 'optimization-tasks.md')[2]!;
    assert.equal(evaluateTarget(relative, [{ ...results[3]!, value: 5_000 }]).summary, 'target 10x lower (<= 6.1 µs) · now 5 µs · met');
  });

  it('perf-lab targets prints the table, --json the figures, and --check fails on a critical target', async () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-targets-'));
    const results = path.join(scratch, 'hyperfine.json');
    writeFileSync(results, JSON.stringify({ results: [{ command: 'wordfreq input=heavy', times: [2.3, 2.4, 2.5] }] }));
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text) });
      return { code, out, err };
    };
    const table = await run('targets', example, '--results', results);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /^CRITICAL\s+wordfreq inputs\/heavy\.log wall time\s+target < 40 ms · critical > 2 s · now 2\.4 s\s+wordfreq input=heavy\s+.*optimization-tasks\.md:38$/m);
    assert.match(table.out, /^UNLINKED\s+tokenize_line/m);
    const checked = await run('targets', example, '--results', results, '--check');
    assert.equal(checked.code, 1);
    assert.match(checked.err, /1 target past the critical threshold: wordfreq inputs\/heavy\.log wall time \(.*optimization-tasks\.md:38\)/);
    const json = JSON.parse((await run('targets', example, '--results', results, '--json', '--map', 'tokenize_line=wordfreq input=heavy')).out);
    const tokenize = json.targets.find((target: { name: string }) => target.name === 'tokenize_line');
    assert.deepEqual([tokenize.measuredBy, tokenize.status, tokenize.measured], ['wordfreq input=heavy', 'critical', 2.4e9]);
    assert.deepEqual(Object.keys(json.targets[0]), ['name', 'file', 'line', 'status', 'direction', 'goal', 'critical', 'current', 'measuredBy', 'measured', 'summary']);
  });
});
