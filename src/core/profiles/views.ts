/**
 * Derived views of a profile: per function and per source line self/total, callers and
 * callees, the call tree merged by function, and that tree pruned to what a flame graph of a
 * given width can draw. Totals count a stack once even when a function (or line) appears on it
 * several times, so recursion is not double-counted.
 *
 * `ProfileIndex` precomputes, once per profile, what every query needs (children, subtree
 * weights, first-occurrence flags), so a query walks only the nodes it is about.
 */
import { Profile } from './model';

export interface FunctionStat {
  func: number;
  name: string;
  file?: string;
  /** The function's first line, or the lowest line seen in it. */
  line?: number;
  module?: string;
  external?: boolean;
  /** Every frame of it was inlined into a caller: it never ran as a call of its own. */
  inlined?: boolean;
  self: number;
  total: number;
}

export interface LineStat {
  file: string;
  line: number;
  self: number;
  total: number;
}

export interface CallerCallee {
  func: number;
  name: string;
  /** Weight of the stacks through this caller (or callee) edge. */
  weight: number;
}

/** A node of the call tree merged by function, as the flame graph draws it. */
export interface FlameNode {
  /** Merged-tree node id; stable for a profile, used to zoom. */
  id: number;
  name: string;
  func: number;
  total: number;
  self: number;
  children: FlameNode[];
  /** Weight of children too narrow to draw, merged away. */
  hidden?: number;
}

export class ProfileIndex {
  readonly nodeCount: number;
  /** CSR children of the stack tree. */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  readonly nodeFunc: Int32Array;
  /** Merged (by function) call tree: node -> merged node. */
  readonly merged: Int32Array;
  readonly mergedParent: Int32Array;
  readonly mergedFunc: Int32Array;
  readonly mergedChildStart: Int32Array;
  readonly mergedChildList: Int32Array;
  private readonly subtreeCache = new Map<number, Float64Array>();
  private readonly mergedCache = new Map<number, { self: Float64Array; total: Float64Array }>();
  private firstFunction: Uint8Array | undefined;
  private lineIndex: { keyOfNode: Int32Array; first: Uint8Array; keys: { file: string; line: number }[]; nodesByFile: Map<string, Int32Array> } | undefined;

  constructor(readonly profile: Profile) {
    const n = (this.nodeCount = profile.stackParent.length);
    const { stackParent, stackFrame, frames } = profile;
    this.nodeFunc = new Int32Array(n);
    for (let i = 0; i < n; i++) this.nodeFunc[i] = frames[stackFrame[i]!]!.func;
    [this.childStart, this.childList] = csr(stackParent, n);

    // Merge nodes whose paths agree function by function (lines and inlining differ).
    this.merged = new Int32Array(n);
    const mergedKey = new Map<number, number>();
    const parents: number[] = [];
    const funcs: number[] = [];
    for (let i = 0; i < n; i++) {
      const parent = stackParent[i]! < 0 ? -1 : this.merged[stackParent[i]!]!;
      const key = (parent + 1) * 67108864 + this.nodeFunc[i]!;
      let m = mergedKey.get(key);
      if (m === undefined) {
        m = parents.length;
        parents.push(parent);
        funcs.push(this.nodeFunc[i]!);
        mergedKey.set(key, m);
      }
      this.merged[i] = m;
    }
    this.mergedParent = Int32Array.from(parents);
    this.mergedFunc = Int32Array.from(funcs);
    [this.mergedChildStart, this.mergedChildList] = csr(this.mergedParent, parents.length);
  }

  /** Weight of every stack through each node (its subtree), for one sample type. */
  subtree(sampleType = this.profile.defaultSampleType): Float64Array {
    let totals = this.subtreeCache.get(sampleType);
    if (!totals) {
      totals = Float64Array.from(this.profile.weights[sampleType]!);
      const parents = this.profile.stackParent;
      for (let i = this.nodeCount - 1; i >= 0; i--) if (parents[i]! >= 0) totals[parents[i]!] += totals[i]!;
      this.subtreeCache.set(sampleType, totals);
    }
    return totals;
  }

  /** Self and total weight of each merged-tree node. */
  mergedWeights(sampleType = this.profile.defaultSampleType): { self: Float64Array; total: Float64Array } {
    let cached = this.mergedCache.get(sampleType);
    if (!cached) {
      const count = this.mergedParent.length;
      const self = new Float64Array(count);
      const weights = this.profile.weights[sampleType]!;
      for (let i = 0; i < this.nodeCount; i++) self[this.merged[i]!] += weights[i]!;
      const total = Float64Array.from(self);
      for (let m = count - 1; m >= 0; m--) if (this.mergedParent[m]! >= 0) total[this.mergedParent[m]!] += total[m]!;
      cached = { self, total };
      this.mergedCache.set(sampleType, cached);
    }
    return cached;
  }

  /** 1 where a node's function does not already appear among its ancestors. */
  firstFunctionOccurrence(): Uint8Array {
    if (!this.firstFunction) {
      this.firstFunction = firstOccurrence(this, this.nodeFunc, this.profile.functions.length);
    }
    return this.firstFunction;
  }

  /** Per node: its (file, line) key, whether it is the first on its path, and nodes per file. */
  lines(): NonNullable<ProfileIndex['lineIndex']> {
    if (!this.lineIndex) {
      const { frames, functions, stackFrame } = this.profile;
      const keyIds = new Map<string, number>();
      const keys: { file: string; line: number }[] = [];
      const frameKey = new Int32Array(frames.length).fill(-1);
      frames.forEach((frame, index) => {
        const file = frame.file ?? functions[frame.func]!.file;
        if (file === undefined || frame.line === undefined) return;
        const text = `${file}\u0000${frame.line}`;
        let id = keyIds.get(text);
        if (id === undefined) {
          id = keys.length;
          keys.push({ file, line: frame.line });
          keyIds.set(text, id);
        }
        frameKey[index] = id;
      });
      const keyOfNode = new Int32Array(this.nodeCount);
      const perFile = new Map<string, number[]>();
      for (let i = 0; i < this.nodeCount; i++) {
        const key = frameKey[stackFrame[i]!]!;
        keyOfNode[i] = key;
        if (key >= 0) {
          const file = keys[key]!.file;
          let list = perFile.get(file);
          if (!list) perFile.set(file, (list = []));
          list.push(i);
        }
      }
      const nodesByFile = new Map([...perFile].map(([file, list]) => [file, Int32Array.from(list)]));
      this.lineIndex = { keyOfNode, first: firstOccurrence(this, keyOfNode, keys.length), keys, nodesByFile };
    }
    return this.lineIndex;
  }
}

/** Children of a parent array, as offsets into one list. */
function csr(parents: Int32Array, n: number): [Int32Array, Int32Array] {
  const start = new Int32Array(n + 2);
  for (let i = 0; i < n; i++) start[parents[i]! + 2]!++;
  // start[p + 1] .. start[p + 2] are the children of p (p = -1 for roots).
  for (let i = 1; i < n + 2; i++) start[i]! += start[i - 1]!;
  const list = new Int32Array(n);
  const fill = start.slice();
  for (let i = 0; i < n; i++) list[fill[parents[i]! + 1]!++] = i;
  return [start, list];
}

/** Marks nodes whose key (-1 for none) does not already occur among their ancestors. */
function firstOccurrence(index: ProfileIndex, keyOfNode: Int32Array, keyCount: number): Uint8Array {
  const first = new Uint8Array(index.nodeCount);
  const onPath = new Int32Array(keyCount);
  const { childStart, childList } = index;
  // Iterative DFS: a node is pushed, then popped again (negative) to leave it.
  const stack: number[] = [];
  for (let c = childStart[0]!; c < childStart[1]!; c++) stack.push(childList[c]!);
  while (stack.length) {
    const entry = stack.pop()!;
    if (entry < 0) {
      const key = keyOfNode[~entry]!;
      if (key >= 0) onPath[key]!--;
      continue;
    }
    const key = keyOfNode[entry]!;
    if (key >= 0) {
      if (onPath[key] === 0) first[entry] = 1;
      onPath[key]!++;
    }
    stack.push(~entry);
    for (let c = childStart[entry + 1]!; c < childStart[entry + 2]!; c++) stack.push(childList[c]!);
  }
  return first;
}

const indexes = new WeakMap<Profile, ProfileIndex>();

export function indexOf(profile: Profile): ProfileIndex {
  let index = indexes.get(profile);
  if (!index) indexes.set(profile, (index = new ProfileIndex(profile)));
  return index;
}

/** Self and total per function, sorted by self then total, descending. */
export function functionStats(profile: Profile, sampleType = profile.defaultSampleType): FunctionStat[] {
  const index = indexOf(profile);
  const weights = profile.weights[sampleType]!;
  const subtree = index.subtree(sampleType);
  const first = index.firstFunctionOccurrence();
  const self = new Float64Array(profile.functions.length);
  const total = new Float64Array(profile.functions.length);
  const minLine = new Float64Array(profile.functions.length).fill(Infinity);
  for (let i = 0; i < index.nodeCount; i++) {
    const func = index.nodeFunc[i]!;
    self[func] += weights[i]!;
    if (first[i]) total[func] += subtree[i]!;
  }
  const called = new Uint8Array(profile.functions.length);
  for (const frame of profile.frames) {
    if (frame.line !== undefined && frame.line < minLine[frame.func]! && !frame.file) minLine[frame.func] = frame.line;
    if (!frame.inlineDepth) called[frame.func] = 1;
  }
  const stats: FunctionStat[] = [];
  profile.functions.forEach((info, func) => {
    if (self[func] === 0 && total[func] === 0) return;
    const stat: FunctionStat = { func, name: info.name, self: self[func]!, total: total[func]! };
    if (info.file !== undefined) stat.file = info.file;
    const line = info.startLine ?? (Number.isFinite(minLine[func]) ? minLine[func] : undefined);
    if (line !== undefined) stat.line = line;
    if (info.module !== undefined) stat.module = info.module;
    if (info.external) stat.external = true;
    if (!called[func]) stat.inlined = true;
    stats.push(stat);
  });
  return stats.sort((a, b) => b.self - a.self || b.total - a.total || a.name.localeCompare(b.name));
}

/**
 * Each function's weight where it is the innermost frame of the workspace's own code on the
 * stack (functions whose info `isOwn` takes). In memory profiles the leaves are the allocator and
 * the standard library, so the own code's self weight is nil; this says whose code allocated.
 */
export function innermostOwnWeights(profile: Profile, isOwn: (func: number) => boolean, sampleType = profile.defaultSampleType): Map<number, number> {
  const index = indexOf(profile);
  const weights = profile.weights[sampleType]!;
  const owner = new Int32Array(index.nodeCount).fill(-1);
  const result = new Map<number, number>();
  for (let i = 0; i < index.nodeCount; i++) {
    const func = index.nodeFunc[i]!;
    const parent = profile.stackParent[i]!;
    owner[i] = isOwn(func) ? func : parent >= 0 ? owner[parent]! : -1;
    if (weights[i] && owner[i]! >= 0) result.set(owner[i]!, (result.get(owner[i]!) ?? 0) + weights[i]!);
  }
  return result;
}

/** Self and total per line of one file (or of every file), sorted by line. */
export function lineStats(profile: Profile, file?: string, sampleType = profile.defaultSampleType): LineStat[] {
  const index = indexOf(profile);
  const { keyOfNode, first, keys, nodesByFile } = index.lines();
  const weights = profile.weights[sampleType]!;
  const subtree = index.subtree(sampleType);
  const byKey = new Map<number, LineStat>();
  const visit = (nodes: Int32Array) => {
    for (const node of nodes) {
      const key = keyOfNode[node]!;
      let stat = byKey.get(key);
      if (!stat) byKey.set(key, (stat = { ...keys[key]!, self: 0, total: 0 }));
      stat.self += weights[node]!;
      if (first[node]) stat.total += subtree[node]!;
    }
  };
  if (file !== undefined) {
    const nodes = nodesByFile.get(file);
    if (nodes) visit(nodes);
  } else {
    for (const nodes of nodesByFile.values()) visit(nodes);
  }
  return [...byKey.values()].filter((stat) => stat.total > 0).sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/**
 * Who calls `func` and whom it calls, with the weight through each edge, heaviest first.
 * Inlined frames are not callers: the caller is the nearest real call frame above.
 */
export function callersAndCallees(profile: Profile, func: number, sampleType = profile.defaultSampleType): { callers: CallerCallee[]; callees: CallerCallee[] } {
  const index = indexOf(profile);
  const subtree = index.subtree(sampleType);
  const callers = new Map<number, number>();
  const callees = new Map<number, number>();
  const { stackParent: parents, stackFrame, frames } = profile;
  const inlined = (node: number) => (frames[stackFrame[node]!]!.inlineDepth ?? 0) > 0;
  for (let i = 0; i < index.nodeCount; i++) {
    let parent = parents[i]!;
    while (parent >= 0 && inlined(parent) && index.nodeFunc[parent] !== func) parent = parents[parent]!;
    if (parent < 0) continue;
    const childFunc = index.nodeFunc[i]!;
    const parentFunc = index.nodeFunc[parent]!;
    if (childFunc === parentFunc) continue; // a line-to-line step inside one function
    if (childFunc === func) callers.set(parentFunc, (callers.get(parentFunc) ?? 0) + subtree[i]!);
    if (parentFunc === func) callees.set(childFunc, (callees.get(childFunc) ?? 0) + subtree[i]!);
  }
  const list = (map: Map<number, number>) => [...map].map(([f, weight]) => ({ func: f, name: profile.functions[f]!.name, weight })).sort((a, b) => b.weight - a.weight);
  return { callers: list(callers), callees: list(callees) };
}

/**
 * The function whose code a source line is, by the frames sampled at that line: the caller for
 * its own lines, an inlined callee for the lines of its body (`inlined`). Undefined when no
 * frame was sampled there. Weighted by the time under those frames, the heaviest owner wins.
 */
export function lineOwner(profile: Profile, file: string, line: number, sampleType = profile.defaultSampleType): { func: number; inlined: boolean } | undefined {
  const index = indexOf(profile);
  const subtree = index.subtree(sampleType);
  const { stackFrame, frames, functions } = profile;
  const weightOf = new Map<number, { weight: number; inlined: number }>();
  for (let i = 0; i < index.nodeCount; i++) {
    const frame = frames[stackFrame[i]!]!;
    if (frame.line !== line || (frame.file ?? functions[frame.func]!.file) !== file) continue;
    const entry = weightOf.get(frame.func) ?? { weight: 0, inlined: 0 };
    entry.weight += subtree[i]!;
    if ((frame.inlineDepth ?? 0) > 0) entry.inlined += subtree[i]!;
    weightOf.set(frame.func, entry);
  }
  let best: { func: number; inlined: boolean; weight: number } | undefined;
  for (const [func, entry] of weightOf) {
    if (!best || entry.weight > best.weight) best = { func, inlined: entry.inlined * 2 > entry.weight, weight: entry.weight };
  }
  return best && { func: best.func, inlined: best.inlined };
}

export interface PruneOptions {
  /** Merged-tree node to zoom into; -1 (default) for the whole profile. */
  root?: number;
  /** Width the flame graph has, in pixels. */
  width: number;
  /** Narrowest frame drawn, in pixels (default 1). */
  minWidth?: number;
  sampleType?: number;
  /** Deepest level sent (default unlimited). */
  maxDepth?: number;
}

/**
 * The merged call tree cut to frames at least `minWidth` pixels wide at `width` pixels for the
 * root, so a profile of any size reaches the webview as at most a few thousand nodes.
 */
export function prunedTree(profile: Profile, options: PruneOptions): FlameNode {
  const index = indexOf(profile);
  const sampleType = options.sampleType ?? profile.defaultSampleType;
  const { self, total } = index.mergedWeights(sampleType);
  const root = options.root ?? -1;
  let rootTotal = 0;
  if (root < 0) {
    for (let c = index.mergedChildStart[0]!; c < index.mergedChildStart[1]!; c++) rootTotal += total[index.mergedChildList[c]!]!;
  } else {
    rootTotal = total[root] ?? 0;
  }
  const threshold = rootTotal > 0 ? (rootTotal * (options.minWidth ?? 1)) / Math.max(1, options.width) : Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const make = (m: number): FlameNode =>
    m < 0
      ? { id: -1, name: 'all', func: -1, total: rootTotal, self: 0, children: [] }
      : { id: m, name: profile.functions[index.mergedFunc[m]!]!.name, func: index.mergedFunc[m]!, total: total[m]!, self: self[m]!, children: [] };
  const top = make(root);
  const pending: [FlameNode, number][] = [[top, 0]];
  while (pending.length) {
    const [node, depth] = pending.pop()!;
    if (depth >= maxDepth) {
      // Deeper frames are not sent: their weight shows as hidden (zoom in to see them).
      if (node.total - node.self > 0) node.hidden = node.total - node.self;
      continue;
    }
    const m = node.id;
    let hidden = 0;
    for (let c = index.mergedChildStart[m + 1]!; c < index.mergedChildStart[m + 2]!; c++) {
      const child = index.mergedChildList[c]!;
      if (total[child]! >= threshold) {
        const childNode = make(child);
        node.children.push(childNode);
        pending.push([childNode, depth + 1]);
      } else {
        hidden += total[child]!;
      }
    }
    if (hidden > 0) node.hidden = hidden;
    node.children.sort((a, b) => a.name.localeCompare(b.name));
  }
  return top;
}

/** Number of nodes in a flame tree (for tests and budgets). */
export function countNodes(node: FlameNode): number {
  let count = 0;
  const pending = [node];
  while (pending.length) {
    const next = pending.pop()!;
    count++;
    pending.push(...next.children);
  }
  return count;
}

/** Folded stacks by function name, `a;b;c weight`, merged where names agree. */
export function foldedStacks(profile: Profile, sampleType = profile.defaultSampleType): Map<string, number> {
  const weights = profile.weights[sampleType]!;
  const { stackParent, stackFrame, frames, functions } = profile;
  const paths: string[] = new Array(stackParent.length);
  const stacks = new Map<string, number>();
  for (let i = 0; i < stackParent.length; i++) {
    // ";" separates frames in this format, so it cannot stay inside a name.
    const name = functions[frames[stackFrame[i]!]!.func]!.name.replace(/;/g, ':').replace(/\s+$/, '');
    const parent = stackParent[i]!;
    paths[i] = parent < 0 ? name : `${paths[parent]};${name}`;
    const weight = weights[i]!;
    if (weight) stacks.set(paths[i]!, (stacks.get(paths[i]!) ?? 0) + weight);
  }
  return stacks;
}

/** Total weight per merged-tree path ("a;b;c" by function name), for differential views. */
export function totalsByPath(profile: Profile, sampleType = profile.defaultSampleType): Map<string, number> {
  const index = indexOf(profile);
  const { total } = index.mergedWeights(sampleType);
  const paths: string[] = new Array(index.mergedParent.length);
  const result = new Map<string, number>();
  for (let m = 0; m < index.mergedParent.length; m++) {
    const name = profile.functions[index.mergedFunc[m]!]!.name;
    const parent = index.mergedParent[m]!;
    paths[m] = parent < 0 ? name : `${paths[parent]}\u0000${name}`;
    result.set(paths[m]!, (result.get(paths[m]!) ?? 0) + total[m]!);
  }
  return result;
}

/** The path of a merged-tree node, as `totalsByPath` keys it. */
export function pathOf(profile: Profile, merged: number): string {
  const index = indexOf(profile);
  const names: string[] = [];
  for (let m = merged; m >= 0; m = index.mergedParent[m]!) names.push(profile.functions[index.mergedFunc[m]!]!.name);
  return names.reverse().join('\u0000');
}
