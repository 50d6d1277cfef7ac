/** The settings table's type checks: what a hand-edited settings.json may hold and Perf Lab refuses. */
import * as assert from 'node:assert/strict';
import { isSettingValue } from '../../src/extension/settingKinds';

describe('setting values', () => {
  it('accepts what each setting holds', () => {
    assert.equal(isSettingValue('experiments.runsPerSide', 10), true);
    assert.equal(isSettingValue('benchmarks.goArgs', ['-count=10']), true);
    assert.equal(isSettingValue('experiments.instructions', 'decide'), true);
    assert.equal(isSettingValue('methodology', { maxCv: 0.05 }), true);
    assert.equal(isSettingValue('commands', [{ name: 'x', command: 'true' }]), true);
  });

  it('refuses a value of the wrong type, so the default is used instead', () => {
    assert.equal(isSettingValue('experiments.runsPerSide', '10'), false);
    assert.equal(isSettingValue('experiments.runsPerSide', 2.5), false);
    assert.equal(isSettingValue('benchmarks.goArgs', '-count=10'), false);
    assert.equal(isSettingValue('benchmarks.goArgs', ['-count', 10]), false);
    assert.equal(isSettingValue('experiments.instructions', 'always'), false);
    assert.equal(isSettingValue('methodology', ['maxCv']), false);
    assert.equal(isSettingValue('hotPaths.threshold', Number.NaN), false);
    assert.equal(isSettingValue('experiments.profile', 'true'), false);
  });
});
