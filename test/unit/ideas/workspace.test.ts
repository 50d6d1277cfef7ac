import * as assert from 'node:assert/strict';
import { defaultIdeaDocumentGlobs, matchesAny } from '../../../src/core/ideas';

describe('idea document globs, as VS Code reads them', () => {
  it('braces, classes, ** at the root and below, any case', () => {
    // The hand-written matcher missed these: braces were literal, [ab] unsupported.
    assert.equal(matchesAny('docs/ideas.md', ['**/{ideas,tasks}.md']), true);
    assert.equal(matchesAny('tasks.md', ['**/{ideas,tasks}.md']), true);
    assert.equal(matchesAny('docs/notes.md', ['**/{ideas,tasks}.md']), false);
    assert.equal(matchesAny('perf/plan-b.md', ['perf/plan-[ab].md']), true);
    assert.equal(matchesAny('perf/plan-c.md', ['perf/plan-[ab].md']), false);
    assert.equal(matchesAny('docs/IDEAS.md', ['**/*idea*.md']), true);
    assert.equal(matchesAny('a/b/c/perf/x.md', ['**/perf/**/*.md']), true);
    assert.equal(matchesAny('src/main.rs', defaultIdeaDocumentGlobs), false);
    assert.equal(matchesAny('docs/perf/methodology.md', defaultIdeaDocumentGlobs), true);
  });
});
