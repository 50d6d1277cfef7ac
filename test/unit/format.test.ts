import * as assert from 'node:assert/strict';
import { distinctLabels, formatDuration, formatMeasurement, formatP, plural } from '../../src/core/format';

describe('formatDuration', () => {
  it('picks the unit a person reads at a glance', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(849.6), '850 ms');
    assert.equal(formatDuration(12_340), '12.3 s');
    assert.equal(formatDuration(245_000), '4 min 05 s');
    assert.equal(formatDuration(7_380_000), '2 h 03 min');
  });

  it('says unknown instead of printing NaN or negative times', () => {
    assert.equal(formatDuration(Number.NaN), 'unknown');
    assert.equal(formatDuration(-5), 'unknown');
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), 'unknown');
  });
});

describe('plural', () => {
  it('agrees with the count', () => {
    assert.equal(plural(1, 'document'), '1 document');
    assert.equal(plural(0, 'document'), '0 documents');
    assert.equal(plural(2, 'child', 'children'), '2 children');
  });
});

describe('formatP', () => {
  it('never prints a p-value of zero: below double precision it says so', () => {
    assert.equal(formatP(0), '< 1e-16');
    assert.equal(formatP(3e-20), '< 1e-16');
    assert.equal(formatP(2.2e-9), '2.2e-9');
    assert.equal(formatP(0.04567), '0.046');
    assert.equal(formatP(Number.NaN), 'n/a');
  });
});

describe('formatMeasurement', () => {
  it('times in the largest sensible unit, counts with separators', () => {
    assert.deepEqual(
      [3.3341, 448.1, 3801, 14_250_000, 1_130_000_000].map((ns) => formatMeasurement(ns, 'ns')),
      ['3.334 ns', '448.1 ns', '3.80 µs', '14.25 ms', '1.130 s'],
    );
    assert.equal(formatMeasurement(69_732_132, 'instructions'), '69,732,132 instructions');
    assert.equal(formatMeasurement(Number.NaN, 'ns'), 'n/a');
  });
});

describe('distinctLabels', () => {
  it('labels results by what their names do not share, cut at a space or a slash', () => {
    assert.deepEqual(distinctLabels(['wordfreq input=light', 'wordfreq input=heavy']), ['input=light', 'input=heavy']);
    assert.deepEqual(distinctLabels(['lz4 level=1', 'lz4 level=12']), ['level=1', 'level=12']);
    assert.deepEqual(distinctLabels(['shard/short', 'shard/long']), ['short', 'long']);
    assert.deepEqual(distinctLabels(['shard_of/short', 'count_words']), ['shard_of/short', 'count_words']);
    assert.deepEqual(distinctLabels(['group/bench']), ['bench']);
  });
});
