/**
 * valgrind massif's `massif.out.PID` (and ms_print's input from other tools): snapshots of the
 * heap over time, some with the allocation tree. The profile is the tree of the peak snapshot
 * (`heap_tree=peak`; else the largest detailed one) as "bytes at peak": each tree node lists the
 * bytes allocated through it, its children are its callers, so a stack ends at the outermost
 * caller known and holds the bytes its node does not pass on to callers further out. Frames that
 * share an address are one call frame with functions inlined into it.
 */
import { demangle, withoutArgumentList } from '../demangle';
import { ProfileError } from '../errors';
import { Profile, ProfileBuilder } from '../model';
import type { LineSink } from '../text';
import { largestIndex } from '../timeline';

interface Snapshot {
  time: number;
  heapBytes: number;
  extraBytes: number;
  stackBytes: number;
  tree?: 'detailed' | 'peak';
  /** The tree's lines with their file line numbers. */
  lines: [string, number][];
}

export class MassifImporter implements LineSink {
  private current: Snapshot | undefined;
  private best: Snapshot | undefined;
  private sawHeader = false;
  private timeUnit = 'instructions';
  private timeScale = 1;
  /** Every snapshot's time and heap bytes, and which is the peak's: the memory-over-time chart. */
  private readonly times: number[] = [];
  private readonly heap: number[] = [];
  /** The index in `times` of the snapshot whose tree the profile is. */
  private treeSnapshot = -1;

  constructor(private readonly source: string) {}

  line(text: string, lineNumber: number): void {
    if (!this.sawHeader) {
      if (/^(desc|cmd|time_unit):|^#-+$|^snapshot=/.test(text)) this.sawHeader = true;
      else if (text.trim()) throw new ProfileError(this.source, lineNumber, 'not a massif file: it starts with desc:, cmd: and time_unit:');
    }
    const unit = /^time_unit: *(\w+)/.exec(text);
    if (unit) {
      // heaptrack_print -M writes seconds (after the snapshots): kept as milliseconds, heaptrack's own unit.
      this.timeUnit = unit[1] === 'ms' || unit[1] === 's' ? 'ms' : unit[1] === 'B' ? 'bytes allocated' : 'instructions';
      this.timeScale = unit[1] === 's' ? 1000 : 1;
      return;
    }
    if (text.startsWith('snapshot=')) {
      this.end();
      this.current = { time: 0, heapBytes: 0, extraBytes: 0, stackBytes: 0, lines: [] };
      return;
    }
    const snapshot = this.current;
    if (!snapshot || text.startsWith('#') || text === '') return;
    const field = /^(time|mem_heap_B|mem_heap_extra_B|mem_stacks_B|heap_tree)=(.*)$/.exec(text);
    if (field) {
      const [, key, value] = field;
      if (key === 'heap_tree') {
        if (value === 'detailed' || value === 'peak') snapshot.tree = value;
      } else {
        const bytes = Number(value);
        if (!Number.isFinite(bytes) || bytes < 0) throw new ProfileError(this.source, lineNumber, `${key} is "${value}", not a ${key === 'time' ? 'time' : 'number of bytes'}`);
        if (key === 'time') snapshot.time = bytes;
        else if (key === 'mem_heap_B') snapshot.heapBytes = bytes;
        else if (key === 'mem_heap_extra_B') snapshot.extraBytes = bytes;
        else snapshot.stackBytes = bytes;
      }
      return;
    }
    if (snapshot.tree && /^\s*n\d+:/.test(text)) snapshot.lines.push([text, lineNumber]);
  }

  /** Keeps the snapshot just read if its tree is the peak's, or the largest detailed one so far. */
  private end(): void {
    const snapshot = this.current;
    this.current = undefined;
    if (!snapshot) return;
    this.times.push(snapshot.time);
    this.heap.push(snapshot.heapBytes);
    if (!snapshot.tree || snapshot.lines.length === 0) return;
    if (this.best?.tree === 'peak') return;
    if (!this.best || snapshot.tree === 'peak' || snapshot.heapBytes > this.best.heapBytes) {
      this.best = snapshot;
      this.treeSnapshot = this.times.length - 1;
    }
  }

  finish(): Profile {
    this.end();
    if (!this.sawHeader) throw new ProfileError(this.source, 1, 'not a massif file: it starts with desc:, cmd: and time_unit:');
    const b = new ProfileBuilder('massif', this.source, [{ name: 'bytes at peak', unit: 'bytes' }]);
    if (this.times.length) {
      // The snapshot the tree is of (the peak's, else the largest detailed one); without trees the largest.
      const peak = this.treeSnapshot >= 0 ? this.treeSnapshot : largestIndex(this.heap);
      b.timeline = { timeUnit: this.timeUnit, times: this.times.map((time) => time * this.timeScale), bytes: this.heap, peak };
    }
    if (!this.best) {
      b.warn(this.times.length ? `none of its ${this.times.length} snapshots has an allocation tree` : 'no snapshots');
      return b.build();
    }
    // The tree, leaf (the allocation functions) first: `path` holds each depth's frame and bytes.
    const path: { frame: number | undefined; bytes: number; passedOn: number; address?: string }[] = [];
    const flush = (depth: number) => {
      // Nodes deeper than `depth` are complete: what each did not pass on ends a stack there.
      while (path.length > depth) {
        const node = path.pop()!;
        const rest = node.bytes - node.passedOn;
        if (rest > 0) this.addStack(b, path, node, rest);
        if (path.length) path[path.length - 1]!.passedOn += node.bytes;
      }
    };
    for (const [text, lineNumber] of this.best.lines) {
      const match = /^( *)n(\d+): (\d+)(?: (.*))?$/.exec(text);
      if (!match) throw new ProfileError(this.source, lineNumber, 'an allocation tree line that is not "nN: BYTES ..."');
      const depth = match[1]!.length;
      if (depth > path.length) throw new ProfileError(this.source, lineNumber, 'an allocation tree line indented past its parent');
      flush(depth);
      const description = match[4] ?? '';
      // The root ("(heap allocation functions) malloc/new/...") is no frame of the program.
      const frame = depth === 0 ? undefined : valgrindFrame(b, description);
      path.push({ frame: frame?.id, bytes: Number(match[3]), passedOn: 0, ...(frame?.address ? { address: frame.address } : {}) });
    }
    flush(0);
    b.samples = 1;
    return b.build();
  }

  private addStack(b: ProfileBuilder, callees: { frame: number | undefined; address?: string }[], node: { frame: number | undefined; address?: string }, bytes: number): void {
    // Root first: the node (outermost caller) down to the allocation site.
    const frames = [node, ...[...callees].reverse()].flatMap((entry) => (entry.frame === undefined ? [] : [{ id: entry.frame, ...(entry.address ? { address: entry.address } : {}) }]));
    if (frames.length === 0) return; // the root's own bytes: none of the program's frames
    b.addWeight(valgrindStack(b, frames), 0, bytes);
  }
}

/** A stack of valgrind frames, root first: frames at the address of the frame before are functions inlined into that call frame. */
export function valgrindStack(b: ProfileBuilder, frames: { id: number; address?: string }[]): number {
  let stack = -1;
  for (let i = 0; i < frames.length; i++) {
    const entry = frames[i]!;
    let depth = 0;
    for (let j = i - 1; j >= 0 && entry.address !== undefined && frames[j]!.address === entry.address; j--) depth++;
    const frame = b.frames[entry.id]!;
    stack = b.child(stack, depth ? b.frameId(frame.func, frame.line, undefined, depth) : entry.id);
  }
  return stack;
}

/** A frame as valgrind's tools print it: `0xADDR: function (file:line)`, `0xADDR: function (in module)`, or massif's "N places below threshold". */
export function valgrindFrame(b: ProfileBuilder, description: string): { id: number; address?: string } {
  const below = /^in (\d+) places?, (?:all )?below (?:massif's )?threshold/.exec(description);
  if (below) return { id: b.frameId(b.functionId(`[${below[1]} places below the threshold]`)) };
  const located = /^(0x[0-9A-Fa-f]+): (.*?) \((?:in (.+)|(.+):(\d+))\)$/.exec(description);
  if (!located) return { id: b.frameId(b.functionId(description || '[unknown]')) };
  const [, address, symbol, module, file, line] = located;
  const name = symbol === '???' ? (module ? `[${module.slice(module.lastIndexOf('/') + 1)}]` : address!) : withoutArgumentList(demangle(symbol!));
  const func = b.functionId(name, file, module, name !== symbol && symbol !== '???' ? { rawName: symbol! } : undefined);
  return { id: b.frameId(func, line ? Number(line) : undefined), address: address! };
}
