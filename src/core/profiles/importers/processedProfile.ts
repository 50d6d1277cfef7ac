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
import * as shape from '../../shape';

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
  const profile = shape.object(document, 'the document') as ProcessedProfile;
  const threads = shape.list(profile.threads, 'threads').map((thread, index) => shape.object(thread, `threads[${index}]`) as Thread);
  threads.forEach((thread, index) => {
    if (thread.samples !== undefined) shape.object(thread.samples, `threads[${index}].samples`);
  });
  const weightType = shape.optionalText(threads.find((thread) => thread.samples?.weightType)?.samples?.weightType, 'samples.weightType') ?? 'samples';
  const type = sampleTypes[weightType];
  if (!type) throw new ProfileError(source, undefined, `samples of weight type "${weightType}" are not read (samples, tracing-ms and bytes are)`);
  const b = new ProfileBuilder('processed-profile', source, [{ ...type }]);
  let read = 0;
  threads.forEach((thread, index) => {
    const name = shape.optionalText(thread.name, `threads[${index}].name`);
    const where = `thread ${index}${name ? ` (${name})` : ''}`;
    if (thread.samples?.weightType && thread.samples.weightType !== weightType) {
      b.warn(`${where}: samples weighted in ${shape.describeValue(thread.samples.weightType)}, not ${weightType}, are left out`);
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
  const shared = profile.shared === undefined ? {} : (shape.object(profile.shared, 'shared') as Tables);
  const table = <T>(name: keyof Tables): T => {
    const value = thread[name] ?? shared[name];
    return (value === undefined ? {} : shape.object(value, `${where}: ${name}`)) as T;
  };
  // Every index column is checked once here: null, or a whole number (-1 where samply means none).
  const column = (value: unknown, what: string): (number | null)[] | undefined =>
    value === undefined || value === null
      ? undefined
      : shape.list(value, `${where}: ${what}`).map((entry, index) => (entry === null ? null : shape.number(entry, `${where}: ${what}[${index}]`, { min: -1, integer: true })));
  const stackTable = table<Record<string, unknown>>('stackTable');
  const frameTable = table<Record<string, unknown>>('frameTable');
  const funcTable = table<Record<string, unknown>>('funcTable');
  const resourceTable = table<Record<string, unknown>>('resourceTable');
  const sourceTable = table<Record<string, unknown>>('sources');
  const stacks = { prefix: column(stackTable.prefix, 'stackTable.prefix'), frame: column(stackTable.frame, 'stackTable.frame') };
  const frames = {
    address: column(frameTable.address, 'frameTable.address'),
    func: column(frameTable.func, 'frameTable.func'),
    line: column(frameTable.line, 'frameTable.line'),
    column: column(frameTable.column, 'frameTable.column'),
    inlineDepth: column(frameTable.inlineDepth, 'frameTable.inlineDepth'),
  };
  const funcs = {
    name: column(funcTable.name, 'funcTable.name'),
    resource: column(funcTable.resource, 'funcTable.resource'),
    fileName: column(funcTable.fileName, 'funcTable.fileName'),
    source: column(funcTable.source, 'funcTable.source'),
    lineNumber: column(funcTable.lineNumber, 'funcTable.lineNumber'),
  };
  const resources = { lib: column(resourceTable.lib, 'resourceTable.lib'), name: column(resourceTable.name, 'resourceTable.name') };
  const sources = { filename: column(sourceTable.filename, 'sources.filename') };
  const strings: unknown = thread.stringArray ?? shared.stringArray ?? thread.stringTable ?? shared.stringTable;
  const libs = (shape.optionalList(thread.libs ?? profile.libs, `${where}: libs`) ?? []).map((lib, index) => {
    const entry = shape.object(lib, `libs[${index}]`);
    return {
      name: shape.optionalText(entry.name, `libs[${index}].name`),
      path: shape.optionalText(entry.path, `libs[${index}].path`),
      debugPath: shape.optionalText(entry.debugPath, `libs[${index}].debugPath`),
    };
  });
  if (!Array.isArray(strings)) throw new ProfileError(source, undefined, `${where}: no string array`);
  for (const [tableName, columns] of [
    ['stackTable', [stacks.prefix, stacks.frame]],
    ['frameTable', [frames.func]],
    ['funcTable', [funcs.name]],
  ] as const) {
    if (!columns.every(Array.isArray)) throw new ProfileError(source, undefined, `${where}: its ${tableName} lacks a column it needs`);
  }
  const string = (index: number | null | undefined, what: string) => {
    if (index === null || index === undefined) return undefined;
    const text: unknown = strings[index];
    if (typeof text !== 'string') throw new ProfileError(source, undefined, `${where}: ${what} refers to string ${index}, which is ${text === undefined ? 'not there' : shape.describeValue(text)}`);
    return text;
  };

  // One root per thread name, as perf script's profiles have one per command.
  const tid = thread.tid;
  const rootName =
    (typeof thread.name === 'string' && thread.name) || shape.optionalText(thread.processName, `${where}: processName`) || `thread ${typeof tid === 'number' || typeof tid === 'string' ? tid : '?'}`;
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
    const file = typeof sourceIndex === 'number' ? string(sources.filename?.[sourceIndex], `source ${sourceIndex}'s file name`) : string(funcs.fileName?.[func], `function ${func}'s file`);
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

  const sampleStacks = column(samples.stack, 'samples.stack')!;
  const weights =
    samples.weight === undefined || samples.weight === null
      ? undefined
      : shape.list(samples.weight, `${where}: samples.weight`).map((weight, index) => (weight === null ? null : shape.number(weight, `${where}: samples.weight[${index}]`, { min: 0 })));
  let read = 0;
  sampleStacks.forEach((stack, i) => {
    const weight = weights ? (weights[i] ?? 1) : 1;
    if (weight === 0) return;
    // A sample without a stack (the thread was idle or the unwinder failed) counts at the root.
    b.addWeight(stack === null ? root : nodeOf(stack), 0, weight);
    read++;
  });
  return read;
}
