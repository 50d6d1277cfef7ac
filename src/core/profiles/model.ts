/**
 * The normalized profile model every importer produces and every view reads.
 *
 * Functions (name, file, module) are separate from frames (a function at a line, possibly
 * inlined), as in pprof: per-function views merge a function's lines, per-line views do not.
 * Stacks form a prefix tree stored in flat arrays: node `i` has `stackParent[i]` (-1 for a root)
 * and `stackFrame[i]`, and a parent always has a lower index than its children. Samples with the
 * same stack are aggregated: `weights[t][i]` is the weight of sample type `t` whose leaf is node
 * `i` (its self weight).
 */

export interface SampleType {
  /** e.g. "samples", "cpu-clock", "Ir", "cpu". */
  name: string;
  /** e.g. "count", "nanoseconds", "instructions". */
  unit: string;
}

export interface FunctionInfo {
  /** Display name (demangled where the importer could). */
  name: string;
  /** The name as the tool wrote it, when it differs (a mangled symbol). */
  rawName?: string;
  file?: string;
  /** Binary, shared object or module, e.g. "/usr/lib/libc.so.6" or "[kernel.kallsyms]". */
  module?: string;
  /** First line of the function, when known. */
  startLine?: number;
  /** Outside the user's code (kernel, system libraries, std); set by importers or path mapping. */
  external?: boolean;
}

export interface Frame {
  func: number;
  /** Source file of this frame when it differs from the function's (code inlined from a header). */
  file?: string;
  line?: number;
  column?: number;
  /** 0 for a real call frame, 1+ for frames inlined into it. */
  inlineDepth?: number;
  /** Instruction address, when the tool gave one (for symbolization). */
  address?: number;
}

export interface ProfileDiagnostics {
  /** Lines the importer could not read and skipped. */
  skippedLines: number;
  /** The first few problems, each naming the line. */
  warnings: string[];
}

/**
 * Heap use over the run (massif's snapshots, heaptrack's consumption): `bytes[i]` live at
 * `times[i]`, in the tool's time unit; `peak` is the index of the point whose tree the profile's
 * "bytes at peak" is.
 */
export interface MemoryTimeline {
  /** "ms", "instructions" (massif's default) or "bytes allocated" (massif --time-unit=B). */
  timeUnit: string;
  times: number[];
  bytes: number[];
  peak: number;
}

export interface Profile {
  /** Importer that read it: "perf-script", "folded", "callgrind", "pprof", "cpuprofile", "speedscope". */
  format: string;
  /** Where it came from (a path), for messages. */
  source: string;
  sampleTypes: SampleType[];
  /** The sample type views use unless told otherwise. */
  defaultSampleType: number;
  functions: FunctionInfo[];
  frames: Frame[];
  stackParent: Int32Array;
  stackFrame: Int32Array;
  /** weights[sampleType][stackNode]: self weight of the stack ending at that node. */
  weights: Float64Array[];
  /** Number of samples (or records) read. */
  samples: number;
  diagnostics: ProfileDiagnostics;
  /** Heap memory over time, for heap profiles whose tool recorded it. */
  timeline?: MemoryTimeline;
}

const maxWarnings = 20;

/** Accumulates functions, frames and stacks while an importer reads, then freezes them. */
export class ProfileBuilder {
  readonly functions: FunctionInfo[] = [];
  readonly frames: Frame[] = [];
  readonly diagnostics: ProfileDiagnostics = { skippedLines: 0, warnings: [] };
  samples = 0;
  defaultSampleType = 0;
  timeline: MemoryTimeline | undefined;

  private readonly functionIndex = new Map<string, number>();
  private readonly frameIndex = new Map<string, number>();
  private parents: Int32Array = new Int32Array(1024);
  private nodeFrames: Int32Array = new Int32Array(1024);
  private nodeWeights: Float64Array[];
  private nodeCount = 0;
  /**
   * (parent, frame) -> node: open addressing over the node arrays themselves (slot holds node + 1),
   * several times faster than a Map keyed by numbers beyond the small-integer range.
   */
  private childSlots = new Int32Array(2048);

  constructor(
    readonly format: string,
    readonly source: string,
    public sampleTypes: SampleType[],
  ) {
    this.nodeWeights = sampleTypes.map(() => new Float64Array(1024));
  }

  /** Adds a sample type after import started (e.g. perf's period appears on the first sample). */
  addSampleType(type: SampleType): number {
    this.sampleTypes.push(type);
    this.nodeWeights.push(new Float64Array(this.parents.length));
    return this.sampleTypes.length - 1;
  }

  /** Interns a function by name, file and module. */
  functionId(name: string, file?: string, module?: string, extra?: Partial<FunctionInfo>): number {
    const key = `${name}\u0000${file ?? ''}\u0000${module ?? ''}`;
    let id = this.functionIndex.get(key);
    if (id === undefined) {
      id = this.functions.length;
      const info: FunctionInfo = { name };
      if (file !== undefined) info.file = file;
      if (module !== undefined) info.module = module;
      this.functions.push(extra ? { ...info, ...extra } : info);
      this.functionIndex.set(key, id);
    }
    return id;
  }

  /** Interns a frame: a function at an optional line (and column, inline depth, address). */
  frameId(func: number, line?: number, column?: number, inlineDepth?: number, address?: number, file?: string): number {
    const key = `${func}:${line ?? ''}:${column ?? ''}:${inlineDepth ?? ''}:${address ?? ''}:${file ?? ''}`;
    let id = this.frameIndex.get(key);
    if (id === undefined) {
      id = this.frames.length;
      const frame: Frame = { func };
      if (file !== undefined) frame.file = file;
      if (line !== undefined) frame.line = line;
      if (column !== undefined) frame.column = column;
      if (inlineDepth) frame.inlineDepth = inlineDepth;
      if (address !== undefined) frame.address = address;
      this.frames.push(frame);
      this.frameIndex.set(key, id);
    }
    return id;
  }

  /** The stack node for `frame` called from `parent` (-1 for a root). */
  child(parent: number, frame: number): number {
    const slots = this.childSlots;
    const mask = slots.length - 1;
    let slot = childHash(parent, frame) & mask;
    for (let entry = slots[slot]!; entry !== 0; entry = slots[slot]!) {
      const node = entry - 1;
      if (this.parents[node] === parent && this.nodeFrames[node] === frame) return node;
      slot = (slot + 1) & mask;
    }
    const node = this.nodeCount++;
    if (node === this.parents.length) this.grow();
    this.parents[node] = parent;
    this.nodeFrames[node] = frame;
    slots[slot] = node + 1;
    if (this.nodeCount * 2 > slots.length) this.rehashChildren();
    return node;
  }

  /** The node for a whole stack, root first. */
  stack(framesRootFirst: readonly number[]): number {
    let node = -1;
    for (const frame of framesRootFirst) node = this.child(node, frame);
    return node;
  }

  /** Adds weight of one sample type at the node where a stack ends. */
  addWeight(node: number, sampleType: number, weight: number): void {
    if (node < 0) return;
    this.nodeWeights[sampleType]![node]! += weight;
  }

  skip(line: number, reason: string): void {
    this.diagnostics.skippedLines++;
    this.warn(`line ${line}: ${reason}`);
  }

  warn(message: string): void {
    if (this.diagnostics.warnings.length < maxWarnings) this.diagnostics.warnings.push(message);
  }

  get nodes(): number {
    return this.nodeCount;
  }

  parentOf(node: number): number {
    return this.parents[node]!;
  }

  frameOf(node: number): number {
    return this.nodeFrames[node]!;
  }

  build(): Profile {
    return {
      format: this.format,
      source: this.source,
      sampleTypes: this.sampleTypes,
      defaultSampleType: this.defaultSampleType,
      functions: this.functions,
      frames: this.frames,
      stackParent: this.parents.slice(0, this.nodeCount),
      stackFrame: this.nodeFrames.slice(0, this.nodeCount),
      weights: this.nodeWeights.map((weights) => weights.slice(0, this.nodeCount)),
      samples: this.samples,
      diagnostics: this.diagnostics,
      ...(this.timeline ? { timeline: this.timeline } : {}),
    };
  }

  private rehashChildren(): void {
    const slots = new Int32Array(this.childSlots.length * 2);
    const mask = slots.length - 1;
    for (let node = 0; node < this.nodeCount; node++) {
      let slot = childHash(this.parents[node]!, this.nodeFrames[node]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = node + 1;
    }
    this.childSlots = slots;
  }

  private grow(): void {
    const size = this.parents.length * 2;
    const parents = new Int32Array(size);
    parents.set(this.parents);
    this.parents = parents;
    const frames = new Int32Array(size);
    frames.set(this.nodeFrames);
    this.nodeFrames = frames;
    this.nodeWeights = this.nodeWeights.map((old) => {
      const grown = new Float64Array(size);
      grown.set(old);
      return grown;
    });
  }
}

function childHash(parent: number, frame: number): number {
  return (Math.imul(parent + 1, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca6b)) >>> 0;
}

/** Total weight of one sample type over the whole profile. */
export function totalWeight(profile: Profile, sampleType = profile.defaultSampleType): number {
  let total = 0;
  for (const weight of profile.weights[sampleType]!) total += weight;
  return total;
}

const heapFormats = new Set(['heaptrack', 'massif', 'dhat', 'heapprofile']);

/**
 * A heap measure (bytes, allocations) rather than time sampled over a run: two such profiles are
 * compared as they are, since scaling one to the other's total would hide the change itself.
 */
export function isHeapMeasure(profile: Profile, sampleType = profile.defaultSampleType): boolean {
  return heapFormats.has(profile.format) || profile.sampleTypes[sampleType]?.unit === 'bytes';
}

/**
 * How a sample type reads in figures ("42 cpu-clock (nanoseconds)", "42 Ir"): its name, and its
 * unit unless that is a plain count or already part of the name (`Time_(10ns)`).
 */
export function sampleTypeLabel(type: SampleType): string {
  if (type.unit === 'count' || type.name.includes(`(${type.unit.replace(/ /g, '')})`) || type.name === type.unit) return type.name;
  const compact = type.unit.replace(/^(\d+) nanoseconds$/, '$1ns');
  return type.name.endsWith(`(${compact})`) ? type.name : `${type.name} (${type.unit})`;
}
