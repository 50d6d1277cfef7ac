/**
 * Issue 15 #11: a document of the right format but the wrong shape (a value replaced by null, a
 * string, a negative or huge number, a list, an object, or a 100,000-deep nesting) is an error
 * naming the file, never a TypeError or a stack overflow, and never a NaN total. Each valid
 * document below is mutated at every place in it (the first and last items of each list).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BenchParseError, loadBenchResults } from '../../src/core/bench';
import { loadProfile, ProfileError, totalWeight } from '../../src/core/profiles';
import { processedTables } from './profiles/processedTables';

const conformance = path.resolve(__dirname, '../../../../shared/conformance');
const read = (relative: string) => JSON.parse(readFileSync(path.join(conformance, relative), 'utf8')) as unknown;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'perf-lab-shapes-'));

/** 100,000 nested lists: JSON.parse reads it, a recursive walk or JSON.stringify of it overflows. */
const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
const replacements: unknown[] = [null, 'x', -1, 1e308, [], {}, true, deep];

type Path = (string | number)[];

/** The places in a document: every key of an object, the first and last item of a list. */
function places(value: unknown, at: Path = [], found: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    const indexes = value.length > 2 ? [0, value.length - 1] : value.map((_, index) => index);
    for (const index of indexes) {
      found.push([...at, index]);
      places(value[index], [...at, index], found);
    }
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      found.push([...at, key]);
      places((value as Record<string, unknown>)[key], [...at, key], found);
    }
  }
  return found;
}

function replaced(document: unknown, at: Path, replacement: unknown): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[at[at.length - 1]!] = replacement;
  return copy;
}

/** JSON text with `deep` written out (JSON.stringify of it would overflow here too). */
function serialize(document: unknown): string {
  const marker = '"__deep__"';
  const text = JSON.stringify(document, (_key, value: unknown) => (value === deep ? '__deep__' : value));
  return text.split(marker).join(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
}

function changeText(at: Path, replacement: unknown): string {
  return `${at.join('.')} = ${replacement === deep ? '100,000-deep list' : JSON.stringify(replacement)}`;
}

const profiles: Record<string, unknown> = {
  'speedscope sampled': read('profiles/speedscope/speedscope/0.1.2/simple-sampled.speedscope.json'),
  'speedscope evented': read('profiles/speedscope/speedscope/0.0.1/simple.speedscope.json'),
  'Chrome cpuprofile': read('profiles/speedscope/Chrome/65/simple.cpuprofile'),
  'Firefox processed profile (samply)': (() => {
    const tables = processedTables([{ frames: [{ name: 'main' }, { name: 'work', file: 'src/work.rs', line: 3 }], weight: 2 }, { frames: [{ name: 'main' }] }]);
    return {
      meta: { version: 24, preprocessedProfileVersion: 49, interval: 1, startTime: 0, product: 'app', categories: [{ name: 'Other', color: 'grey', subcategories: ['Other'] }] },
      libs: [],
      threads: [{ name: 'main', pid: '10', tid: 10, samples: tables.samples }],
      shared: { ...tables.tables, stringArray: tables.strings },
    };
  })(),
  'Chrome heapprofile': {
    head: {
      callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 },
      selfSize: 0,
      id: 1,
      children: [{ callFrame: { functionName: 'alloc', scriptId: '1', url: 'file:///a.js', lineNumber: 2, columnNumber: 4 }, selfSize: 4096, id: 2, children: [] }],
    },
    samples: [{ size: 4096, nodeId: 2, ordinal: 1 }],
  },
};

const benchmarks: Record<string, unknown> = {
  'hyperfine JSON': read('bench-output/shell/hyperfine/one.json'),
  'Google Benchmark JSON': read('peers/google-benchmark/Inputs/test1_run1.json'),
};

function checkError(error: unknown, file: string, what: string): void {
  if (error instanceof ProfileError || error instanceof BenchParseError) {
    assert.ok(error.message.startsWith(file), `${what}: the message names the file: ${error.message}`);
    assert.ok(error.message.length < 2000, `${what}: a short message (${error.message.length} characters)`);
    assert.doesNotMatch(error.message, /Cannot read|is not iterable|is not a function|Maximum call stack|\bundefined\b|\bNaN\b|\[object Object\]/, `${what}: says what was wrong in the file's terms`);
    return;
  }
  assert.fail(`${what}: ${(error as Error)?.name}: ${(error as Error)?.message}`);
}

describe('documents of the wrong shape', () => {
  for (const [name, document] of Object.entries(profiles)) {
    it(`${name}: each value replaced is a clear error or a profile with a finite total`, async function () {
      this.timeout(120_000);
      const failures: string[] = [];
      const file = path.join(scratch, `${name.replace(/\W+/g, '-')}.json`);
      const valid = places(document);
      assert.ok(valid.length > 5, `${name} has places to change`);
      // The unchanged document is read (the mutations below start from a good file).
      writeFileSync(file, serialize(document));
      assert.ok(totalWeight(await loadProfile(file)) > 0, `${name} itself loads`);
      for (const at of valid) {
        for (const replacement of replacements) {
          const what = changeText(at, replacement);
          writeFileSync(file, serialize(replaced(document, at, replacement)));
          try {
            const profile = await loadProfile(file);
            const total = totalWeight(profile);
            if (!Number.isFinite(total)) failures.push(`${what}: total ${total}`);
          } catch (error) {
            try {
              checkError(error, file, what);
            } catch (failure) {
              failures.push((failure as Error).message);
            }
          }
        }
      }
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${valid.length * replacements.length} changes went wrong`);
    });
  }

  for (const [name, document] of Object.entries(benchmarks)) {
    it(`${name}: each value replaced is a clear error or results of positive finite samples`, function () {
      this.timeout(120_000);
      const failures: string[] = [];
      const file = path.join(scratch, `${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, serialize(document));
      assert.ok(loadBenchResults(file).benchmarks.length > 0, `${name} itself loads`);
      const valid = places(document);
      for (const at of valid) {
        for (const replacement of replacements) {
          const what = changeText(at, replacement);
          writeFileSync(file, serialize(replaced(document, at, replacement)));
          try {
            const output = loadBenchResults(file);
            for (const benchmark of output.benchmarks) {
              if (typeof benchmark.name !== 'string') failures.push(`${what}: a name that is not text`);
              if (!benchmark.samples.every((sample) => typeof sample === 'number' && Number.isFinite(sample) && sample >= 0))
                failures.push(`${what}: samples ${benchmark.samples.slice(0, 3).join(', ')}`);
            }
          } catch (error) {
            try {
              checkError(error, file, what);
            } catch (failure) {
              failures.push((failure as Error).message);
            }
          }
        }
      }
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${valid.length * replacements.length} changes went wrong`);
    });
  }

  it('criterion results (new/sample.json, benchmark.json): each value replaced is a clear error or positive finite samples', () => {
    const sample = { sampling_mode: 'Linear', iters: [10, 20, 30], times: [1000, 2100, 2950] };
    const benchmark = { group_id: 'parse', function_id: null, value_str: null, throughput: null, full_id: 'parse', directory_name: 'parse', title: 'parse' };
    const root = path.join(scratch, 'criterion');
    const folder = path.join(root, 'parse', 'new');
    mkdirSync(folder, { recursive: true });
    const failures: string[] = [];
    for (const [fileName, document, other, otherDocument] of [
      ['sample.json', sample, 'benchmark.json', benchmark],
      ['benchmark.json', benchmark, 'sample.json', sample],
    ] as const) {
      writeFileSync(path.join(folder, other), JSON.stringify(otherDocument));
      for (const at of places(document)) {
        for (const replacement of replacements) {
          const what = `${fileName}: ${changeText(at, replacement)}`;
          writeFileSync(path.join(folder, fileName), serialize(replaced(document, at, replacement)));
          try {
            for (const result of loadBenchResults(root).benchmarks) {
              if (typeof result.name !== 'string') failures.push(`${what}: a name that is not text`);
              if (!result.samples.every((value) => Number.isFinite(value) && value >= 0)) failures.push(`${what}: samples ${result.samples.join(', ')}`);
            }
          } catch (error) {
            try {
              checkError(error, root, what);
            } catch (failure) {
              failures.push((failure as Error).message);
            }
          }
        }
      }
    }
    assert.deepEqual(failures.slice(0, 20), []);
  });
});
