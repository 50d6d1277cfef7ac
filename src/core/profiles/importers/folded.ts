/**
 * Folded ("collapsed") stacks, as written by FlameGraph's stackcollapse scripts and
 * `perf-lab profile fold`: one `root;caller;leaf WEIGHT` per line.
 *
 * Read as bytes, not strings (issue 4 asks for 300 MB/s): a line is compared byte by byte with
 * the previous one and the frames they share reuse the previous line's stack nodes (folded files
 * are usually sorted); other frames are found by a hash of their bytes. Only a name seen for the
 * first time is decoded to a string.
 */
import { Profile, ProfileBuilder } from '../model';
import { ByteNameTable, fnvOffset, fnvPrime, grownInt32 } from '../byteNames';
import { ByteLineSink } from '../text';

const semicolon = 59;
const space = 32;

export class FoldedImporter implements ByteLineSink {
  private readonly builder: ProfileBuilder;
  private readonly decoder = new TextDecoder();
  private readonly names = new ByteNameTable();
  /** The previous line's stack bytes, where each of its frames ends, and their stack nodes. */
  private previous = new Uint8Array(4096);
  private previousLength = 0;
  private previousEnds = new Int32Array(256);
  private previousNodes = new Int32Array(256);
  private previousDepth = 0;

  constructor(source: string) {
    this.builder = new ProfileBuilder('folded', source, [{ name: 'samples', unit: 'count' }]);
  }

  lineBytes(bytes: Uint8Array, start: number, end: number, lineNumber: number): void {
    let countStart = end;
    while (countStart > start && bytes[countStart - 1] !== space) countStart--;
    if (countStart <= start + 1) {
      if (!isBlank(bytes, start, end)) this.builder.skip(lineNumber, 'not a folded stack ("a;b;c COUNT")');
      return;
    }
    const weight = this.countAt(bytes, countStart, end);
    if (!Number.isFinite(weight) || weight < 0 || bytes[countStart] === 43 /* + */) {
      this.builder.skip(lineNumber, `"${this.decoder.decode(bytes.subarray(countStart, Math.min(end, countStart + 40)))}" is not a sample count`);
      return;
    }
    let stackEnd = countStart - 1;
    while (stackEnd > start && bytes[stackEnd - 1]! <= space) stackEnd--;
    const first = bytes[start];
    if (stackEnd === start || first === 35 /* # */ || (first === 47 && bytes[start + 1] === 47) /* // */) {
      this.builder.skip(lineNumber, 'comment or empty stack');
      return;
    }
    const node = this.stackNode(bytes, start, stackEnd);
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

  /** The stack node of `bytes[start, end)`, reusing the frames it shares with the previous line. */
  private stackNode(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    const previous = this.previous;
    const common = Math.min(length, this.previousLength);
    let same = 0;
    for (let at = start; same < common && bytes[at] === previous[same]; at++) same++;

    let depth = 0;
    let node = -1;
    let position = 0;
    // A previous frame is shared when its bytes and the separator after it (or the end) agree.
    while (depth < this.previousDepth) {
      const frameEnd = this.previousEnds[depth]!;
      if (frameEnd > same || (frameEnd === same && frameEnd !== length && bytes[start + frameEnd] !== semicolon)) break;
      node = this.previousNodes[depth]!;
      position = frameEnd + 1;
      depth++;
    }
    while (position <= length) {
      // Find the frame's end and hash its bytes in one pass.
      let at = start + position;
      let hash = fnvOffset;
      for (let byte = bytes[at]; at < end && byte !== semicolon; byte = bytes[++at]) hash = Math.imul(hash ^ byte!, fnvPrime);
      const frameEnd = at - start;
      if (frameEnd > position) {
        node = this.builder.child(node, this.frame(bytes, start + position, at, hash & 0x7fffffff));
        if (depth === this.previousEnds.length) this.growDepth();
        this.previousEnds[depth] = frameEnd;
        this.previousNodes[depth] = node;
        depth++;
      }
      position = frameEnd + 1;
    }

    if (length > previous.length) {
      const grown = new Uint8Array(Math.max(length, previous.length * 2));
      grown.set(previous.subarray(0, same));
      this.previous = grown;
    }
    this.previous.set(bytes.subarray(start + same, end), same);
    this.previousLength = length;
    this.previousDepth = depth;
    return node;
  }

  private frame(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const known = this.names.find(bytes, start, end, hash);
    if (known >= 0) return known;
    const name = this.decoder.decode(bytes.subarray(start, end));
    const frame = this.builder.frameId(this.builder.functionId(name));
    this.names.add(bytes, start, end, hash, frame);
    return frame;
  }

  /**
   * Whole numbers are read digit by digit (the common case), others must be plain decimals
   * (`1.5`, `2e3`): Number() alone would also take `0x461e0`, `Infinity` or `0b11` as counts.
   */
  private countAt(bytes: Uint8Array, start: number, end: number): number {
    let value = 0;
    for (let i = start; i < end; i++) {
      const digit = bytes[i]! - 48;
      if (digit < 0 || digit > 9) {
        const text = this.decoder.decode(bytes.subarray(start, end));
        return /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
      }
      value = value * 10 + digit;
    }
    return start < end ? value : Number.NaN;
  }

  private growDepth(): void {
    this.previousEnds = grownInt32(this.previousEnds);
    this.previousNodes = grownInt32(this.previousNodes);
  }
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! > space) return false;
  return true;
}
