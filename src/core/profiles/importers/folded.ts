/**
 * Folded ("collapsed") stacks, as written by FlameGraph's stackcollapse scripts and
 * `perf-lab profile fold`: one `root;caller;leaf WEIGHT` per line.
 */
import { Profile, ProfileBuilder } from '../model';
import { LineSink } from '../text';

export class FoldedImporter implements LineSink {
  private readonly builder: ProfileBuilder;
  private readonly frameByName = new Map<string, number>();

  constructor(source: string) {
    this.builder = new ProfileBuilder('folded', source, [{ name: 'samples', unit: 'count' }]);
  }

  line(text: string, lineNumber: number): void {
    const space = text.lastIndexOf(' ');
    if (space <= 0) {
      if (text.trim()) this.builder.skip(lineNumber, 'not a folded stack ("a;b;c COUNT")');
      return;
    }
    const weight = Number(text.slice(space + 1));
    if (!Number.isFinite(weight) || weight < 0 || text.charCodeAt(space + 1) === 43 /* + */) {
      this.builder.skip(lineNumber, `"${text.slice(space + 1, space + 41)}" is not a sample count`);
      return;
    }
    const stack = text.slice(0, space).trimEnd();
    if (!stack || stack.startsWith('#') || stack.startsWith('//')) {
      this.builder.skip(lineNumber, 'comment or empty stack');
      return;
    }
    let node = -1;
    let start = 0;
    for (;;) {
      const end = stack.indexOf(';', start);
      const name = end < 0 ? stack.slice(start) : stack.slice(start, end);
      if (name) node = this.builder.child(node, this.frame(name));
      if (end < 0) break;
      start = end + 1;
    }
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
