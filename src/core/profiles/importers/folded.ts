/**
 * Folded ("collapsed") stacks, as written by FlameGraph's stackcollapse scripts and
 * `perf-lab profile fold`: one `root;caller;leaf WEIGHT` per line.
 */
import { Profile, ProfileBuilder } from '../model';
import { LineSink } from '../text';

export class FoldedImporter implements LineSink {
  private readonly builder: ProfileBuilder;
  private readonly frameByName = new Map<string, number>();
  /** The previous line's frame names and their nodes, root first. */
  private readonly previousNames: string[] = [];
  private readonly previousNodes: number[] = [];

  constructor(source: string) {
    this.builder = new ProfileBuilder('folded', source, [{ name: 'samples', unit: 'count' }]);
  }

  line(text: string, lineNumber: number): void {
    const space = text.lastIndexOf(' ');
    if (space <= 0) {
      if (text.trim()) this.builder.skip(lineNumber, 'not a folded stack ("a;b;c COUNT")');
      return;
    }
    const weight = countAt(text, space + 1);
    if (!Number.isFinite(weight) || weight < 0 || text.charCodeAt(space + 1) === 43 /* + */) {
      this.builder.skip(lineNumber, `"${text.slice(space + 1, space + 41)}" is not a sample count`);
      return;
    }
    // Frames are read straight from the line up to `stackEnd`: no copy of the stack part.
    let stackEnd = space;
    while (stackEnd > 0 && text.charCodeAt(stackEnd - 1) <= 32) stackEnd--;
    const stack = text;
    if (stackEnd === 0 || text.startsWith('#') || text.startsWith('//')) {
      this.builder.skip(lineNumber, 'comment or empty stack');
      return;
    }
    // Folded files are usually sorted, so a line shares most of its frames with the one before:
    // while the names agree (a plain string comparison), reuse the previous line's nodes and
    // skip the hash lookups.
    const names = this.previousNames;
    const nodes = this.previousNodes;
    let node = -1;
    let depth = 0;
    let sharing = true;
    let start = 0;
    while (start <= stackEnd) {
      let end = stack.indexOf(';', start);
      if (end < 0 || end > stackEnd) end = stackEnd;
      if (end > start) {
        const name = stack.slice(start, end);
        if (sharing && names[depth] === name) {
          node = nodes[depth]!;
        } else {
          sharing = false;
          node = this.builder.child(node, this.frame(name));
          names[depth] = name;
          nodes[depth] = node;
        }
        depth++;
      }
      start = end + 1;
    }
    names.length = depth;
    nodes.length = depth;
    if (node < 0) {
      this.builder.skip(lineNumber, 'empty stack');
      return;
    }
    this.builder.addWeight(node, 0, weight);
    this.builder.samples += weight;
  }

  finish(): Profile {
    return this.builder.build();
  }

  private frame(name: string): number {
    let frame = this.frameByName.get(name);
    if (frame === undefined) {
      frame = this.builder.frameId(this.builder.functionId(name));
      this.frameByName.set(name, frame);
    }
    return frame;
  }
}

/** The count after the last space: whole numbers read digit by digit (the common case), others by Number(). */
function countAt(text: string, start: number): number {
  let value = 0;
  for (let i = start; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number(text.slice(start));
    value = value * 10 + digit;
  }
  return start < text.length ? value : Number.NaN;
}
