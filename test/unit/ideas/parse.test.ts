import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { addColumnEdits, applyEdits, findDefinition, missingColumn, parseIdeas, setMeasuredEdits, setStatusEdits, unifiedDiff } from '../../../src/core/ideas';

const conformance = path.resolve(__dirname, '../../../../../shared/conformance/ideas');
const read = (name: string) => readFileSync(path.join(conformance, name), 'utf8');

/** Lines that differ between two texts (same number of lines expected). */
function changedLines(before: string, after: string): number[] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(a.length, b.length, 'a status change adds or removes no line');
  return a.flatMap((line, i) => (line === b[i] ? [] : [i + 1]));
}

describe('idea documents from other teams', () => {
  it('the status table: every row with its status, grouped by section and difficulty', () => {
    const text = read('ethrex-perf-ideas-tracking.md');
    const document = parseIdeas(text, 'ethrex-perf-ideas-tracking.md');
    // Every "| ... |" line that is neither a header nor an alignment row is an idea.
    const rows = text.split('\n').filter((line) => line.startsWith('|') && !line.startsWith('| Idea') && !line.startsWith('|--'));
    assert.equal(document.ideas.length, rows.length);
    rows.forEach((row, i) => assert.equal(document.ideas[i]!.status, row.split('|')[2]!.trim(), row));
    assert.deepEqual(document.legend, ['To do', 'In progress', 'Review', 'Benches', 'Discarded', 'Done']);
    const inline = document.ideas.find((idea) => idea.title === 'Inline Hot Opcodes')!;
    assert.deepEqual(inline.section, ['Performance Improvement Ideas', 'Execution Optimizations (LEVM)', 'Low Difficulty']);
    assert.equal(inline.measured, 'Memory access, push, dup: 20-40%');
    assert.equal(inline.regressions, 'NUMBER, BLOBBASEFEE, initcode jumpdest analysis 15-25%');
    assert.equal(inline.notes, 'Analyze jumpdest noise, then server');
  });

  it('the tier tables: Idea | Why | Key Location with file:line locations, nothing from code blocks', () => {
    const text = read('perf-docs-readme.md');
    const document = parseIdeas(text, 'perf-docs-readme.md');
    const skip = document.ideas.find((idea) => idea.title === 'Skip memory zero-init')!;
    assert.deepEqual(skip.section.slice(-1), ['Tier 1: High Impact, Low Effort']);
    assert.equal(skip.details.Why, 'Memory expansion is in hot path');
    assert.deepEqual(
      skip.locations.map(({ path: p, line }) => [p, line]),
      [['memory.rs', 96]],
    );
    const inline = document.ideas.find((idea) => idea.title === 'Inline Hot Opcodes')!;
    assert.deepEqual(
      inline.locations.map(({ path: p, line, endLine }) => [p, line, endLine]),
      [['vm.rs', 554, 629]],
    );
    // The directory tree in a fenced block has "├──" lines and "# comments": none is a heading.
    const sections = new Set(document.ideas.flatMap((idea) => idea.section));
    assert.ok(![...sections].some((heading) => heading.includes('README') || heading.includes('This file')), [...sections].join('\n'));
    // Quick Links (Document | Purpose) and other non-idea tables are not ideas.
    assert.ok(!document.ideas.some((idea) => idea.title.includes('methodology.md')));
  });

  it('the task list: 28 task items with bold titles, locations and nested details', () => {
    const text = read('rust-node-optimization-tasks.md');
    const document = parseIdeas(text, 'rust-node-optimization-tasks.md');
    assert.equal(document.ideas.length, 28);
    assert.ok(document.ideas.every((idea) => idea.kind === 'task' && idea.title.length > 0));
    const pool = document.ideas[0]!;
    assert.equal(pool.title, 'Implement NockStack pool for mining');
    assert.equal(pool.status, 'To do');
    assert.equal(pool.impact, '10-50x faster mining attempt startup');
    assert.equal(pool.details['Current issue'], 'Creates new Kernel + tempdir for EACH mining attempt (~100ms overhead)');
    assert.deepEqual(
      pool.locations.map((l) => [l.path, l.line]),
      [['crates/nockchain/src/mining.rs', 167]],
    );
    const atoms = document.ideas[1]!;
    assert.deepEqual(
      atoms.locations.map((l) => [l.path, l.line, l.symbol]),
      [
        ['crates/nockvm/rust/nockvm/src/mem.rs', undefined, 'indirect_raw_size'],
        ['mem.rs', 1963, undefined],
        ['noun.rs', undefined, undefined],
      ],
    );
    // Garbled emoji from a wrong encoding stay as they are in the section name.
    assert.match(pool.section[1]!, /PRIORITY 1: Memory Management/);
  });

  for (const [name, pick] of [
    ['ethrex-perf-ideas-tracking.md', 'Inline Hot Opcodes'],
    ['perf-docs-readme.md', 'SSTORE double lookup'],
    ['rust-node-optimization-tasks.md', 'Implement NockStack pool for mining'],
  ] as const) {
    it(`a status change in ${name} changes one line and nothing else`, () => {
      const text = read(name);
      const document = parseIdeas(text, name);
      const idea = document.ideas.find((candidate) => candidate.title === pick)!;
      if (idea.kind === 'table-row' && !idea.statusRange) {
        assert.throws(() => setStatusEdits(text, idea, 'Done'), /has no Status column/);
        return;
      }
      const after = applyEdits(text, setStatusEdits(text, idea, 'Done'));
      assert.deepEqual(changedLines(text, after), [idea.line]);
      const reparsed = parseIdeas(after, name).ideas.find((candidate) => candidate.id === idea.id)!;
      assert.equal(reparsed.status, 'Done');
      assert.equal(
        unifiedDiff(name, text, after)
          .split('\n')
          .filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) [ab]\//.test(line)).length,
        2,
      );
    });
  }
});

describe('odd tables and edits', () => {
  it('escaped pipes, alignment rows, missing cells and CRLF parse', () => {
    const text = '# Ideas\r\n\r\n| Idea | Status | Notes |\r\n|:-----|:------:|------:|\r\n| Use `a \\| b` parser | In progress |\r\n| Cache | Done | `src/cache.rs:10` |\r\n';
    const document = parseIdeas(text, 'odd.md');
    assert.deepEqual(
      document.ideas.map((idea) => [idea.title, idea.status]),
      [
        ['Use a | b parser', 'In progress'],
        ['Cache', 'Done'],
      ],
    );
    assert.deepEqual(
      document.ideas[1]!.locations.map((l) => l.text),
      ['src/cache.rs:10'],
    );
    const after = applyEdits(text, setStatusEdits(text, document.ideas[0]!, 'Review'));
    assert.equal(after, text.replace('| In progress |', '| Review      |'));
    assert.ok(after.includes('\r\n') && !/[^\r]\n/.test(after), 'CRLF line endings are kept');
  });

  it('keeps the column width when the new status fits and widens minimally when not', () => {
    const text = '| Idea | Status | Improvements |\n|---|---|---|\n| A | To do       |  |\n';
    const idea = parseIdeas(text, 'w.md').ideas[0]!;
    assert.equal(applyEdits(text, setStatusEdits(text, idea, 'Done')), '| Idea | Status | Improvements |\n|---|---|---|\n| A | Done        |  |\n');
    assert.equal(applyEdits(text, setStatusEdits(text, idea, 'Discarded after review')), '| Idea | Status | Improvements |\n|---|---|---|\n| A | Discarded after review |  |\n');
    assert.equal(applyEdits(text, setMeasuredEdits(text, idea, '-12.3% (p=0.002)')), '| Idea | Status | Improvements |\n|---|---|---|\n| A | To do       | -12.3% (p=0.002) |\n');
  });

  it('task items: checking, statuses a checkbox cannot hold, measured results', () => {
    const text = '## Tasks\n\n- [ ] **Hash map** (`lib.rs:40`)\n  - **Impact**: 5x\n\n- [x] Done thing\n';
    const [first, second] = parseIdeas(text, 't.md').ideas;
    assert.equal(second!.title, 'Done thing');
    assert.equal(second!.status, 'Done');
    const done = applyEdits(text, setStatusEdits(text, first!, 'Done'));
    assert.equal(done, text.replace('- [ ] **Hash map**', '- [x] **Hash map**'));
    const progress = applyEdits(text, setStatusEdits(text, first!, 'In progress'));
    assert.equal(progress, text.replace('(`lib.rs:40`)\n', '(`lib.rs:40`)\n  - **Status**: In progress\n'));
    const reparsed = parseIdeas(progress, 't.md').ideas[0]!;
    assert.equal(reparsed.status, 'In progress');
    const back = applyEdits(progress, setStatusEdits(progress, reparsed, 'To do'));
    assert.equal(back, text);
    const measured = applyEdits(text, setMeasuredEdits(text, first!, '-40% median'));
    assert.equal(measured, text.replace('**Impact**: 5x\n', '**Impact**: 5x\n  - **Measured**: -40% median\n'));
  });

  it('a status or result with line breaks stays on its line: no new idea is created', () => {
    const text = '## Tasks\n\n- [ ] **Hash map** (`lib.rs:40`)\n  - **Impact**: 5x\n\n- [x] Done thing\n';
    const [first] = parseIdeas(text, 't.md').ideas;
    const status = applyEdits(text, setStatusEdits(text, first!, 'Blocked\n- [ ] **Injected idea**'));
    const measured = applyEdits(text, setMeasuredEdits(text, first!, '-40%\r\n\n- [ ] **Another**'));
    for (const after of [status, measured])
      assert.deepEqual(
        parseIdeas(after, 't.md').ideas.map((idea) => idea.title),
        ['Hash map', 'Done thing'],
      );
    assert.match(status, /^ {2}- \*\*Status\*\*: Blocked - \[ \] \*\*Injected idea\*\*$/m);
  });

  it('a tier table without Status or Measured column (perf-docs-readme) gets one added with consent, and nothing else changes', () => {
    const text = read('perf-docs-readme.md');
    const document = parseIdeas(text, 'docs/perf/README.md');
    const idea = document.ideas.find((candidate) => candidate.title === 'Trie cache RwLock')!;
    assert.equal(idea.status, undefined);
    assert.equal(missingColumn(idea, 'status'), 'Status');
    assert.equal(missingColumn(idea, 'measured'), 'Measured');
    assert.throws(() => setStatusEdits(text, idea, 'In progress'), /docs\/perf\/README\.md:\d+: the table of "Trie cache RwLock" has no Status column/);

    const after = applyEdits(text, addColumnEdits(text, idea, 'Status', 'In progress'));
    const lines = after.split('\n');
    const tier2 = lines.indexOf('| Idea | Why | Key Location | Status      |');
    assert.ok(tier2 > 0, 'the header of that table ends in the new column');
    assert.deepEqual(lines.slice(tier2 + 1, tier2 + 6), [
      '|------|-----|--------------|-------------|',
      '| **Nibbles stack allocation** | Vec allocations on every trie path | `nibbles.rs:23-28` |             |',
      '| **Trie cache RwLock** | Current Mutex has contention | `store.rs:2328` | In progress |',
      '| **Transaction pre-warming** | Populate caches before execution | Pipeline |             |',
      '| **Parallel merkelization tuning** | Currently 16 fixed workers | `blockchain.rs:432-593` |             |',
    ]);
    // Only the lines of that table changed, and the same ideas are read, now with a status.
    assert.deepEqual(changedLines(text, after), [tier2 + 1, tier2 + 2, tier2 + 3, tier2 + 4, tier2 + 5, tier2 + 6]);
    const reread = parseIdeas(after, 'docs/perf/README.md');
    assert.deepEqual(
      reread.ideas.map((candidate) => candidate.title),
      document.ideas.map((candidate) => candidate.title),
    );
    const updated = reread.ideas.find((candidate) => candidate.title === 'Trie cache RwLock')!;
    assert.equal(updated.status, 'In progress');
    assert.equal(missingColumn(updated, 'status'), undefined);
    assert.equal(reread.ideas.find((candidate) => candidate.title === 'Transaction pre-warming')!.status, undefined);
    // The next status is an ordinary cell edit.
    assert.match(applyEdits(after, setStatusEdits(after, updated, 'KEEP')), /^\| \*\*Trie cache RwLock\*\* \| Current Mutex has contention \| `store\.rs:2328` \| KEEP +\|$/m);
    // Other tables of the document are untouched: Tier 1 has no Status column still.
    assert.equal(
      missingColumn(
        reread.ideas.find((candidate) => candidate.title === 'Skip memory zero-init')!,
        'status',
      ),
      'Status',
    );
  });

  it('adds a column to rows written without outer pipes', () => {
    const text = 'Idea | Why\n--- | ---\nCache | hot\nPool | cold\n';
    const idea = parseIdeas(text, 'p.md').ideas[1]!;
    const after = applyEdits(text, addColumnEdits(text, idea, 'Measured', '-3.1% median'));
    assert.equal(after, 'Idea | Why | Measured     |\n--- | --- |--------------|\nCache | hot |              |\nPool | cold | -3.1% median |\n');
    assert.equal(parseIdeas(after, 'p.md').ideas[1]!.measured, '-3.1% median');
  });

  it('random markdown never throws (property test, seeded)', () => {
    const pieces = [
      '# ',
      '## ',
      '| ',
      ' |',
      '|---|',
      '- [ ] ',
      '- [x] ',
      '**',
      '`',
      '```',
      '\n',
      '\r\n',
      'text',
      'a.rs:1',
      '\\|',
      '> ',
      '1. ',
      '  - ',
      ':',
      '*',
      '[',
      ']',
      '(',
      ')',
      '~~~',
      '<br>',
      '😀',
      '\t',
    ];
    let seed = 12345;
    const random = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    for (let round = 0; round < 2000; round++) {
      const length = 1 + random(60);
      let text = '';
      for (let i = 0; i < length; i++) text += pieces[random(pieces.length)];
      const document = parseIdeas(text, 'random.md');
      for (const idea of document.ideas) {
        assert.ok(idea.line >= 1 && idea.range.start <= idea.range.end && idea.range.end <= text.length);
        try {
          applyEdits(text, setStatusEdits(text, idea, 'Done'));
        } catch (error) {
          assert.match(String(error), /has no Status column/);
        }
      }
    }
  });
});

describe('finding a function definition in source', () => {
  const source = [
    'static int read_length(const char* p,', // 1
    '                       int n)', // 2
    '{ return *p; }', // 3
    'int decompress(const char* src,', // 4
    '               char* dst)', // 5
    '{', // 6
    '    return read_length(src,', // 7: a call over two lines, not a definition
    '                       1);', // 8
    '}', // 9
    'int decompress_fast(const char* src, char* dst)', // 10
    '{', // 11
    '    return decompress(src,', // 12: a call, below the definition
    '                      dst);', // 13
    '}', // 14
  ].join('\n');

  it('skips calls that look like declarators (a multi-line return f(a,)', () => {
    assert.equal(findDefinition(source, 'decompress'), 4);
    assert.equal(findDefinition(source, 'read_length'), 1);
  });

  it('takes the nearest definition above a line known to be inside the function', () => {
    const overloads = 'void f(int a,\n       int b) {\n}\nvoid f(double a,\n       double b) {\n  g();\n}\n';
    assert.equal(findDefinition(overloads, 'f', 6), 4);
    assert.equal(findDefinition(overloads, 'f'), 1);
  });
});
