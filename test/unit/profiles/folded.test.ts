/**
 * The folded reader works on bytes and reuses the frames a line shares with the one before; these
 * are the cases where sharing bytes is not sharing frames, and lines split across read chunks.
 */
import * as assert from 'node:assert/strict';
import { importProfileBytes, Profile } from '../../../src/core/profiles';
import { FoldedImporter } from '../../../src/core/profiles/importers/folded';
import { ByteLineSplitter } from '../../../src/core/profiles/text';
import { foldedStacks } from '../../../src/core/profiles/views';

function stacks(profile: Profile): string[] {
  return [...foldedStacks(profile)].map(([stack, weight]) => `${stack} ${weight}`).sort();
}

describe('folded stacks read as bytes', () => {
  it('shares only whole frames with the previous line', () => {
    const text = [
      'main;parse 1', // then a frame whose name extends the previous one's
      'main;parser 2',
      'main;parse;lex 3', // the previous line's last frame is a prefix of this one's frame
      'main;parse 4', // ends where a previous frame ended
      'main;;parse;;lex 5', // empty frames are skipped, so this is main;parse;lex
      'mai 6',
      'main;parse;lex;ünïcödé 7',
      'main;parse;lex;ünïcödf 8',
    ].join('\n');
    assert.deepEqual(stacks(importProfileBytes(Buffer.from(text), 'edge.folded')), [
      'mai 6',
      'main;parse 5',
      'main;parse;lex 8',
      'main;parse;lex;ünïcödf 8', // code-unit order: "f" sorts before "é"
      'main;parse;lex;ünïcödé 7',
      'main;parser 2',
    ]);
  });

  it('gives the same stacks whatever the read chunks are, including splits inside a character', () => {
    const text = Buffer.from('main;ä;b 1\r\nmain;ä;c 2\nmain;ä 3\n# comment\nmain;日本;b 4');
    const whole = stacks(importProfileBytes(text, 'whole.folded'));
    for (let size = 1; size < 8; size++) {
      const importer = new FoldedImporter('chunks.folded');
      const splitter = new ByteLineSplitter(importer, 'chunks.folded');
      for (let at = 0; at < text.length; at += size) splitter.push(text.subarray(at, at + size));
      splitter.end();
      const profile = importer.finish();
      assert.deepEqual(stacks(profile), whole, `chunks of ${size} bytes`);
      assert.equal(profile.diagnostics.skippedLines, 1, 'the comment line');
    }
    assert.deepEqual(whole, ['main;ä 3', 'main;ä;b 1', 'main;ä;c 2', 'main;日本;b 4']);
  });

  it('keeps thousands of distinct names apart (the name table grows and rehashes)', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `root;f${i % 2500};g${i} 1`);
    const profile = importProfileBytes(Buffer.from(lines.join('\n')), 'many.folded');
    assert.equal(foldedStacks(profile).size, 5000);
    assert.equal(new Set(profile.functions.map((f) => f.name)).size, 1 + 2500 + 5000);
  });
});
