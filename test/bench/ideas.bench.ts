/**
 * `npm run bench` (ideas part): parsing a 5,000-idea document and computing an edit, printed,
 * never asserted. Targets: parse <= 50 ms, edit <= 5 ms.
 */
import { parseIdeas, setStatusEdits } from '../../src/core/ideas';

function largeDocument(ideas: number): string {
  const lines = ['# Ideas', ''];
  for (let section = 0; section < ideas / 100; section++) {
    lines.push(`## Area ${section}`, '', '### Tier 1', '', '| Idea | Status | Improvements | Regressions | Notes |', '|------|--------|--------------|-------------|-------|');
    for (let i = 0; i < 50; i++) lines.push(`| Idea ${section}.${i} with a longer title | To do | | | See \`crates/area${section}/src/module${i}.rs:${10 + i}\` |`);
    lines.push('', '### Tasks', '');
    for (let i = 0; i < 50; i++) {
      lines.push(`- [ ] **Task ${section}.${i}** (\`crates/area${section}/src/task${i}.rs:${i + 1}\`)`, '  - **Current issue**: slow', '  - **Impact**: 2x', '');
    }
  }
  return lines.join('\n');
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

export function runIdeasBench(report: (what: string, value: string, target: string) => void): void {
  const text = largeDocument(5000);
  let parsed = parseIdeas(text, 'ideas.md');
  const parseRuns = Array.from({ length: 7 }, () => {
    const started = performance.now();
    parsed = parseIdeas(text, 'ideas.md');
    return performance.now() - started;
  });
  report(`parse a ${parsed.ideas.length}-idea document (${(text.length / 1024).toFixed(0)} KB), median of 7`, `${median(parseRuns).toFixed(1)} ms`, '<= 50 ms');
  const idea = parsed.ideas[Math.floor(parsed.ideas.length / 2)]!;
  const editRuns = Array.from({ length: 50 }, () => {
    const started = performance.now();
    setStatusEdits(text, idea, 'In progress');
    return performance.now() - started;
  });
  report('compute a status edit in it, median of 50', `${median(editRuns).toFixed(3)} ms`, '<= 5 ms');
}
