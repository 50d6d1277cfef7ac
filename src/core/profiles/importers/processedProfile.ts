/**
 * The Firefox Profiler's processed profile format, which samply writes (`profile.json.gz`):
 * struct-of-arrays tables (samples → stackTable → frameTable → funcTable → resourceTable → libs)
 * and a string array. Older files keep the tables and strings in each thread; newer ones (samply
 * 0.13 and later) share them in `profile.shared`. Both are read.
 *
 * samply leaves native frames unsymbolicated: a function is named by its address ("0x1a2b") and
 * the frame holds that address relative to its library's base. Those frames keep the address and
 * the library's path as their module, so symbolizeProfile resolves them with addr2line when the
 * binary is on this machine (names, files, lines and inlined functions).
 */
import { ProfileError } from '../errors';
import { Profile, ProfileBuilder, SampleType } from '../model';

type Column<T> = (T | null)[] | undefined;

interface Table {
  length?: number;
}
interface SamplesTable extends Table {
  stack?: Column<number>;
  weight?: Column<number> | null;
  weightType?: string;
}
interface StackTable extends Table {
  prefix?: Column<number>;
  frame?: Column<number>;
}
interface FrameTable extends Table {
  address?: Column<number>;
  func?: Column<number>;
  line?: Column<number>;
  column?: Column<number>;
  inlineDepth?: Column<number>;
}
interface FuncTable extends Table {
  name?: Column<number>;
  resource?: Column<number>;
  /** A string index (older files)... */
  fileName?: Column<number>;
  /** ...or an index into the sources table (newest files). */
  source?: Column<number>;
  lineNumber?: Column<number>;
}
interface SourceTable extends Table {
  filename?: Column<number>;
}
interface ResourceTable extends Table {
  lib?: Column<number>;
  name?: Column<number>;
}
interface Lib {
  name?: string;
  path?: string;
  debugPath?: string;
}
interface Tables {
  stackTable?: StackTable;
  frameTable?: FrameTable;
  funcTable?: FuncTable;
  resourceTable?: ResourceTable;
  sources?: SourceTable;
  stringArray?: string[];
  /** Before the string array had its name. */
  stringTable?: string[];
}
interface Thread extends Tables {
  name?: string;
  processName?: string;
  tid?: number | string;
  samples?: SamplesTable;
  libs?: Lib[];
}
interface ProcessedProfile {
  meta?: { interval?: number; product?: string };
  libs?: Lib[];
  threads?: Thread[];
  shared?: Tables;
}

/** Whether a parsed JSON document is a processed profile (and not the Gecko format it came from). */
export function isProcessedProfile(document: unknown): boolean {
  const profile = document as ProcessedProfile | null;
  return !!profile && typeof profile === 'object' && typeof profile.meta === 'object' && Array.isArray(profile.threads);
}

const sampleTypes: Record<string, SampleType> = {
  samples: { name: 'samples', unit: 'count' },
  'tracing-ms': { name: 'time', unit: 'milliseconds' },
  bytes: { name: 'bytes', unit: 'bytes' },
};

/** An unsymbolicated function name as samply writes it. */
export const addressName = /^0x[0-9a-f]+$/i;

export function importProcessedProfile(document: unknown, source: string): Profile {
  const profile = document as ProcessedProfile;
  const threads = profile.threads!;
  const weightType = threads.find((thread) => thread.samples?.weightType)?.samples?.weightType ?? 'samples';
  const type = sampleTypes[weightType];
  if (!type) throw new ProfileError(source, undefined, `samples of weight type "${weightType}" are not read (samples, tracing-ms and bytes are)`);
  const b = new ProfileBuilder('processed-profile', source, [{ ...type }]);
  let read = 0;
  threads.forEach((thread, index) => {
    const where = `thread ${index}${thread.name ? ` (${thread.name})` : ''}`;
    if (thread.samples?.weightType && thread.samples.weightType !== weightType) {
      b.warn(`${where}: samples weighted in ${thread.samples.weightType}, not ${weightType}, are left out`);
      return;
    }
    read += importThread(b, thread, profile, where, source);
  });
  if (read === 0) throw new ProfileError(source, undefined, threads.length ? 'a processed profile whose threads hold no samples' : 'a processed profile without threads');
  b.samples = read;
  return b.build();
}

function importThread(b: ProfileBuilder, thread: Thread, profile: ProcessedProfile, where: string, source: string): number {
  const samples = thread.samples;
  if (!samples || !Array.isArray(samples.stack)) return 0;
  const shared = profile.shared ?? {};
  const tables = (name: keyof Tables) => (thread[name] ?? shared[name]) as never;
  const stacks: StackTable = tables('stackTable') ?? {};
  const frames: FrameTable = tables('frameTable') ?? {};
  const funcs: FuncTable = tables('funcTable') ?? {};
  const resources: ResourceTable = tables('resourceTable') ?? {};
  const sources: SourceTable = tables('sources') ?? {};
  const strings: string[] | undefined = tables('stringArray') ?? tables('stringTable');
  const libs = thread.libs ?? profile.libs ?? [];
  if (!Array.isArray(strings)) throw new ProfileError(source, undefined, `${where}: no string array`);
  for (const [table, columns] of [
    ['stackTable', [stacks.prefix, stacks.frame]],
    ['frameTable', [frames.func]],
    ['funcTable', [funcs.name]],
  ] as const) {
    if (!columns.every(Array.isArray)) throw new ProfileError(source, undefined, `${where}: its ${table} lacks a column it needs`);
  }
  const string = (index: number | null | undefined, what: string) => {
    if (index === null || index === undefined) return undefined;
    const text = strings[index];
    if (typeof text !== 'string') throw new ProfileError(source, undefined, `${where}: ${what} refers to string ${index}, which does not exist`);
    return text;
  };

  // One root per thread name, as perf script's profiles have one per command.
  const rootName = thread.name || thread.processName || `thread ${thread.tid ?? '?'}`;
  const root = b.child(-1, b.frameId(b.functionId(rootName, undefined, '[process]', { external: true })));

  const frameIds = new Map<number, number>();
  const frameId = (frame: number) => {
    let id = frameIds.get(frame);
    if (id !== undefined) return id;
    const func = frames.func![frame];
    if (func === undefined) throw new ProfileError(source, undefined, `${where}: a stack refers to frame ${frame}, which does not exist`);
    if (typeof func !== 'number' || func >= funcs.name!.length) throw new ProfileError(source, undefined, `${where}: frame ${frame} refers to function ${func}, which does not exist`);
    const name = string(funcs.name![func], `function ${func}'s name`) ?? '[unknown]';
    const resource = funcs.resource?.[func];
    const lib = typeof resource === 'number' && resource >= 0 ? libs[resources.lib?.[resource] ?? -1] : undefined;
    const module = lib ? lib.debugPath || lib.path || lib.name : typeof resource === 'number' && resource >= 0 ? string(resources.name?.[resource], `resource ${resource}'s name`) : undefined;
    const sourceIndex = funcs.source?.[func];
    const file =
      typeof sourceIndex === 'number' ? string(sources.filename?.[sourceIndex], `source ${sourceIndex}'s file name`) : string(funcs.fileName?.[func], `function ${func}'s file`);
    const startLine = funcs.lineNumber?.[func] ?? undefined;
    const external = module !== undefined && (module.startsWith('[kernel') || module.startsWith('/lib/') || module.startsWith('/usr/lib'));
    const funcId = b.functionId(name, file, module, { ...(startLine ? { startLine } : {}), ...(external ? { external } : {}) });
    const address = frames.address?.[frame];
    const line = frames.line?.[frame] ?? undefined;
    const column = frames.column?.[frame] ?? undefined;
    const inlineDepth = frames.inlineDepth?.[frame] || undefined;
    // Only a library-relative address of an unsymbolicated frame is worth resolving later.
    const keep = lib && typeof address === 'number' && address >= 0 && addressName.test(name) ? address : undefined;
    id = b.frameId(funcId, line, column, inlineDepth, keep);
    frameIds.set(frame, id);
    return id;
  };

  // Stack nodes of the file map to nodes of the builder's tree; a prefix always precedes its stack.
  const stackCount = stacks.frame!.length;
  const nodes = new Int32Array(stackCount).fill(-2);
  const nodeOf = (stack: number): number => {
    if (!(stack >= 0 && stack < stackCount)) throw new ProfileError(source, undefined, `${where}: stack ${stack} does not exist`);
    const known = nodes[stack]!;
    if (known !== -2) return known;
    // Walk up to a known ancestor without recursion (stacks can be 10,000 frames deep).
    const path: number[] = [];
    for (let at: number | null | undefined = stack; at !== null && at !== undefined && nodes[at] === -2; at = stacks.prefix![at]) {
      if (!(at >= 0 && at < stackCount) || path.length > stackCount) throw new ProfileError(source, undefined, `${where}: stack ${stack} has a broken prefix chain`);
      path.push(at);
    }
    const top = stacks.prefix![path[path.length - 1]!];
    let node = top === null || top === undefined ? root : nodes[top]!;
    for (let i = path.length - 1; i >= 0; i--) {
      node = b.child(node, frameId(stacks.frame![path[i]!]!));
      nodes[path[i]!] = node;
    }
    return node;
  };

  const weights = Array.isArray(samples.weight) ? samples.weight : undefined;
  let read = 0;
  samples.stack.forEach((stack, i) => {
    const weight = weights ? weights[i] ?? 1 : 1;
    if (weight === 0) return;
    // A sample without a stack (the thread was idle or the unwinder failed) counts at the root.
    b.addWeight(stack === null ? root : nodeOf(stack), 0, weight);
    read++;
  });
  return read;
}
