import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PerfLabApi } from '../../src/extension/extension';
import type { IdeaNode } from '../../src/extension/ideasView';
import { waitFor } from './waitFor';

const folder = () => vscode.workspace.workspaceFolders![0]!.uri;

describe('Ideas in a real VS Code', () => {
  let api: PerfLabApi;
  const scratch = () => vscode.Uri.joinPath(folder(), 'docs/perf/test-ideas.md');
  const scratchText = [
    '# Scratch ideas',
    '',
    '## Tier 1',
    '',
    '| Idea | Status | Improvements | Notes |',
    '|------|--------|--------------|-------|',
    '| First idea | To do       | | `rust/wordfreq/src/lib.rs:shard_of` |',
    '| Second idea | In progress | | |',
    '',
  ].join('\n');

  before(async () => {
    const extension = vscode.extensions.getExtension<PerfLabApi>('perf-lab.perf-lab')!;
    api = await extension.activate();
    await vscode.workspace.fs.writeFile(scratch(), Buffer.from(scratchText));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(scratch());
  });

  const idea = (title: string) => api.ideas.allIdeas().find((entry) => entry.idea.title === title);

  it('lists the example documents with their ideas and counts', async () => {
    await waitFor('the ideas of docs/perf/ideas.md', () => idea('Hash the shard salt once'));
    const documents = api.ideas.getChildren();
    const labels = documents.map((node) => api.ideas.getTreeItem(node)).map((item) => `${item.label} (${item.description})`);
    assert.ok(labels.includes('Performance ideas: native-core (1/10 done)'), labels.join('\n'));
    const sections = api.ideas.getChildren(documents.find((node) => api.ideas.getTreeItem(node).label === 'Performance ideas: native-core'));
    assert.deepEqual(
      sections.map((node) => `${api.ideas.getTreeItem(node).label} ${api.ideas.getTreeItem(node).description}`),
      ['Rust: wordfreq › Tier 1: easy wins 3', 'Rust: wordfreq › Tier 2: needs care 4', 'C++: latency 3'],
    );
  });

  it('picks up a new idea document written to disk', async () => {
    const entry = await waitFor('the scratch document', () => idea('First idea'));
    assert.equal(entry.idea.status, 'To do');
    assert.deepEqual(
      entry.idea.locations.map((l) => [l.resolved, l.line]),
      [[true, 110]],
    );
  });

  it('sets a status from the tree in a document with unsaved edits: one cell, still unsaved, undoable', async () => {
    const document = await vscode.workspace.openTextDocument(scratch());
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '<!-- unsaved draft -->\n'));
    assert.ok(document.isDirty);
    const before = document.getText();
    const entry = await waitFor('the idea at its unsaved line', () => {
      const found = idea('Second idea');
      return found && found.idea.line === 8 ? found : undefined;
    });
    assert.equal(await vscode.commands.executeCommand('perfLab.ideas.setStatus', entry as IdeaNode, 'Done'), true);
    const after = document.getText();
    const changed = before.split('\n').flatMap((line, i) => (line === after.split('\n')[i] ? [] : [i]));
    assert.deepEqual(changed, [8]);
    assert.equal(after.split('\n')[8], '| Second idea | Done        | | |');
    assert.ok(document.isDirty, 'the unsaved draft stays unsaved');
    assert.ok(after.startsWith('<!-- unsaved draft -->\n'));
    const disk = Buffer.from(await vscode.workspace.fs.readFile(scratch())).toString('utf8');
    assert.equal(disk, scratchText, 'nothing written to disk behind the editor');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before, 'undo restores the cell');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('edits a clean document and keeps it clean (saved)', async () => {
    const entry = await waitFor('First idea', () => idea('First idea'));
    assert.equal(await vscode.commands.executeCommand('perfLab.ideas.recordMeasured', entry as IdeaNode, '-48% median'), true);
    const disk = Buffer.from(await vscode.workspace.fs.readFile(scratch())).toString('utf8');
    assert.equal(disk, scratchText.replace('| First idea | To do       | |', '| First idea | To do       | -48% median |'));
    await waitFor('the measured result in the view', () => (idea('First idea')?.idea.measured === '-48% median' ? true : undefined));
  });

  it('a tier table without Status column: no "No status", and Set Status adds the column when the user agreed', async () => {
    const tiers = vscode.Uri.joinPath(folder(), 'docs/perf/test-tiers.md');
    const tiersText =
      '# Tiers\n\n| Idea | Why | Key Location |\n|------|-----|--------------|\n| **Skip zero-init** | hot path | `rust/wordfreq/src/lib.rs:40` |\n| **Pool buffers** | allocations | Pipeline |\n';
    await vscode.workspace.fs.writeFile(tiers, Buffer.from(tiersText));
    try {
      const entry = await waitFor('the tier table', () => idea('Skip zero-init'));
      assert.equal(entry.idea.noStatusColumn, true);
      assert.doesNotMatch(String(api.ideas.getTreeItem(entry).description ?? ''), /No status/);
      assert.match(String(api.ideas.getTreeItem(entry).tooltip), /Its table has no Status column/);
      // The modal asking for consent is answered in the e2e test; here consent is given.
      assert.equal(await vscode.commands.executeCommand('perfLab.ideas.setStatus', entry as IdeaNode, 'In progress', true), true);
      const disk = Buffer.from(await vscode.workspace.fs.readFile(tiers)).toString('utf8');
      assert.equal(
        disk,
        '# Tiers\n\n| Idea | Why | Key Location | Status      |\n|------|-----|--------------|-------------|\n| **Skip zero-init** | hot path | `rust/wordfreq/src/lib.rs:40` | In progress |\n| **Pool buffers** | allocations | Pipeline |             |\n',
      );
      const updated = await waitFor('the new status in the view', () => (idea('Skip zero-init')?.idea.status === 'In progress' ? idea('Skip zero-init') : undefined));
      assert.equal(updated.idea.noStatusColumn, undefined);
      assert.equal(idea('Pool buffers')!.idea.status, undefined);
    } finally {
      await vscode.workspace.fs.delete(tiers);
    }
  });

  it('sets a status and then a measured result on a clean document, as Decide does: both on disk', async () => {
    const entry = await waitFor('Second idea', () => idea('Second idea'));
    assert.equal(await vscode.commands.executeCommand('perfLab.ideas.setStatus', entry as IdeaNode, 'KEEP'), true);
    await api.ideas.reload();
    const updated = await waitFor('the status in the view', () => (idea('Second idea')?.idea.status === 'KEEP' ? idea('Second idea') : undefined));
    assert.equal(await vscode.commands.executeCommand('perfLab.ideas.recordMeasured', updated as IdeaNode, '-12.0% median'), true);
    const disk = Buffer.from(await vscode.workspace.fs.readFile(scratch())).toString('utf8');
    assert.match(disk, /^\| Second idea \| KEEP +\| -12\.0% median \| \|$/m, disk);
  });

  it('shows the ideas that target a function as a CodeLens above it', async () => {
    const lib = vscode.Uri.joinPath(folder(), 'rust/wordfreq/src/lib.rs');
    await vscode.window.showTextDocument(lib);
    const titles = await waitFor('idea CodeLenses', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', lib);
      const found = lenses.filter((lens) => lens.command?.title.startsWith('💡'));
      return found.length ? found.map((lens) => `${lens.range.start.line + 1}: ${lens.command!.title}`) : undefined;
    });
    assert.ok(titles.includes('40: 💡 Count words in a HashMap instead of a linear search · Tier 1: easy wins · To do'), titles.join('\n'));
  });

  it('warns about a location that no longer exists in an idea document', async () => {
    const ideasUri = vscode.Uri.joinPath(folder(), 'docs/perf/ideas.md');
    const warnings = await waitFor('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(ideasUri).filter((d) => d.source === 'Perf Lab');
      return found.length ? found : undefined;
    });
    assert.deepEqual(
      warnings.map((d) => d.range.start.line + 1),
      [26],
    );
    assert.match(warnings[0]!.message, /tokenize\.rs/);
  });
});
