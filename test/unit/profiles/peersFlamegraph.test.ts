/**
 * FlameGraph's own collapser tests (../shared/conformance/peers/flamegraph-test, brendangregg/
 * FlameGraph 41fee1f): Perf Lab's folding of each `perf script` input equals the script's result.
 * The results were written with `--addrs`; with `[module <address>]` read as `[module]` they are
 * what the script prints by default. Where Perf Lab deliberately differs, the expected text is
 * adjusted here, each for a stated reason:
 *   - names perf left mangled (`_ZL10java_startP6Thread`) or half-demangled Rust
 *     (`_$LT$T$GT$::new::h0123…`) are shown demangled, without the Rust hash;
 *   - the script drops a last record that no blank line ends (a bug of the script); Perf Lab keeps it;
 *   - a frame with a blank symbol is named by its module (`[libc-2.15.so]`), as an unknown symbol
 *     is; the script's regular expression makes it a one-space name.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { importProfileBytes, Profile } from '../../../src/core/profiles';
import { demangle, withoutArgumentList } from '../../../src/core/profiles/demangle';
import { foldedStacks } from '../../../src/core/profiles/views';

const peers = path.resolve(__dirname, '../../../../../shared/conformance/peers/flamegraph-test');

/** Folded lines summed per stack (the results list one line per distinct address). */
function sumFolded(text: string, frameName: (frame: string) => string = (frame) => frame): Map<string, number> {
  const stacks = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const space = line.lastIndexOf(' ');
    const stack = line
      .slice(0, space)
      .split(';')
      .map((frame) => frameName(frame.replace(/ <[0-9a-fA-Fx]+>\]$/, ']')))
      .join(';');
    stacks.set(stack, (stacks.get(stack) ?? 0) + Number(line.slice(space + 1)));
  }
  return stacks;
}

/** The adjustment for names Perf Lab demangles and FlameGraph leaves as perf printed them. */
function demangled(frame: string): string {
  const name = demangle(frame);
  return name === frame ? frame : withoutArgumentList(name);
}

function add(into: Map<string, number>, from: Map<string, number>): void {
  for (const [stack, weight] of from) into.set(stack, (into.get(stack) ?? 0) + weight);
}

function sorted(stacks: Map<string, number>): string[] {
  return [...stacks].map(([stack, weight]) => `${stack} ${weight}`).sort();
}

describe('FlameGraph collapser tests (peers/flamegraph-test)', () => {
  const inputs = readdirSync(peers).filter((name) => name.endsWith('.txt'));

  it('has its 13 inputs, each with a result', () => {
    assert.equal(inputs.length, 13);
    for (const input of inputs) readFileSync(path.join(peers, 'results', input.replace(/\.txt$/, '-collapsed-addrs.txt')));
  });

  for (const input of inputs) {
    it(`folds ${input} as stackcollapse-perf.pl does`, () => {
      const text = readFileSync(path.join(peers, input), 'utf8');
      const profile: Profile = importProfileBytes(Buffer.from(text), input);
      assert.equal(profile.format, 'perf-script');
      const expected = sumFolded(readFileSync(path.join(peers, 'results', input.replace(/\.txt$/, '-collapsed-addrs.txt')), 'utf8'), demangled);
      if (!text.endsWith('\n\n')) {
        // The last record, which the script drops: Perf Lab folds it like any other.
        const lastRecord = text.slice(text.lastIndexOf('\n\n') + 2);
        assert.match(lastRecord, /^\S/);
        const last = importProfileBytes(Buffer.from(lastRecord), `${input} (last record)`);
        assert.equal(last.samples, 1);
        add(expected, foldedStacks(last));
      }
      if (input === 'perf-vertx-stacks-01.txt') {
        // "7f1e2215d058  (/lib/x86_64-linux-gnu/libc-2.15.so)": a blank symbol, named by its module.
        const blank = [...expected].filter(([stack]) => stack.split(';').includes(' '));
        assert.equal(blank.length, 1);
        for (const [stack, weight] of blank) {
          expected.delete(stack);
          add(
            expected,
            new Map([
              [
                stack
                  .split(';')
                  .map((frame) => (frame === ' ' ? '[libc-2.15.so]' : frame))
                  .join(';'),
                weight,
              ],
            ]),
          );
        }
      }
      assert.deepEqual(sorted(foldedStacks(profile)), sorted(expected));
    });
  }

  it('weights samples by the period perf printed, and keeps the count as a second sample type', () => {
    const profile = importProfileBytes(readFileSync(path.join(peers, 'perf-dd-stacks-01.txt')), 'dd');
    assert.deepEqual(
      profile.sampleTypes.map((type) => `${type.name} (${type.unit})`),
      ['samples (count)', 'cpu-clock (nanoseconds)'],
    );
    assert.equal(profile.sampleTypes[profile.defaultSampleType]!.name, 'cpu-clock');
    const counts = foldedStacks(profile, 0);
    const periods = foldedStacks(profile);
    for (const [stack, count] of counts) assert.equal(periods.get(stack), count * 10101010, stack);
  });

  it('keeps each event apart: the first one is shown, the others are sample types of their own', () => {
    const profile = importProfileBytes(readFileSync(path.join(peers, 'perf-cycles-instructions-01.txt')), 'cycles-instructions');
    const names = profile.sampleTypes.map((type) => type.name);
    assert.deepEqual(names, ['instructions samples', 'cycles samples']);
    assert.equal(profile.defaultSampleType, 0);
    const total = (type: number) => [...foldedStacks(profile, type).values()].reduce((sum, weight) => sum + weight, 0);
    // 444 samples in the file: 333 of instructions first, 111 of cycles.
    assert.equal(total(0) + total(1), profile.samples);
    assert.ok(total(0) > total(1), `${total(0)} instructions vs ${total(1)} cycles samples`);
    assert.match(profile.diagnostics.warnings.join('\n'), /several events in one recording: instructions is shown; cycles are sample types of their own/);
  });

  it('keeps the full C++ signature beside the name it shows', () => {
    const profile = importProfileBytes(readFileSync(path.join(peers, 'perf-vertx-stacks-01.txt')), 'vertx');
    const javaStart = profile.functions.find((func) => func.name === 'java_start');
    assert.equal(javaStart?.rawName, 'java_start(Thread*)');
    assert.ok(!profile.functions.some((func) => func.name.startsWith('Lio/netty')), 'Java names keep their leading L');
  });
});
