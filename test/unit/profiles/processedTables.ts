/** Builds Firefox Profiler processed-profile tables for tests, laid out as samply writes them. */
export interface FrameSpec {
  name: string;
  file?: string;
  line?: number;
  /** Index into libs, with `address` relative to that library's base. */
  lib?: number;
  address?: number;
}

/**
 * Builds the tables of a processed profile from stacks (root first) and their weights, the way
 * fxprof-processed-profile lays them out: one func per distinct name, frames per distinct
 * (func, line, address), stacks as a prefix tree.
 */
export function processedTables(stacks: { frames: FrameSpec[]; weight?: number }[], strings: string[] = []) {
  const string = (text: string) => {
    const at = strings.indexOf(text);
    return at >= 0 ? at : strings.push(text) - 1;
  };
  const funcTable = {
    length: 0,
    name: [] as number[],
    isJS: [] as boolean[],
    relevantForJS: [] as boolean[],
    resource: [] as number[],
    fileName: [] as (number | null)[],
    lineNumber: [] as null[],
    columnNumber: [] as null[],
  };
  const frameTable = {
    length: 0,
    address: [] as number[],
    inlineDepth: [] as number[],
    category: [] as number[],
    subcategory: [] as number[],
    func: [] as number[],
    nativeSymbol: [] as null[],
    innerWindowID: [] as null[],
    line: [] as (number | null)[],
    column: [] as null[],
  };
  const stackTable = { length: 0, prefix: [] as (number | null)[], frame: [] as number[] };
  const resourceTable = { length: 0, lib: [] as number[], name: [] as number[], host: [] as null[], type: [] as number[] };
  const keys = new Map<string, number>();
  const intern = (key: string, create: () => number) => keys.get(key) ?? (keys.set(key, create()), keys.get(key)!);
  const resource = (lib: number) =>
    intern(`r${lib}`, () => {
      resourceTable.lib.push(lib);
      resourceTable.name.push(string(`lib${lib}`));
      resourceTable.host.push(null);
      resourceTable.type.push(1);
      return resourceTable.length++;
    });
  const func = (spec: FrameSpec) =>
    intern(`f${spec.name}\u0000${spec.lib ?? ''}`, () => {
      funcTable.name.push(string(spec.name));
      funcTable.isJS.push(false);
      funcTable.relevantForJS.push(false);
      funcTable.resource.push(spec.lib === undefined ? -1 : resource(spec.lib));
      funcTable.fileName.push(spec.file === undefined ? null : string(spec.file));
      funcTable.lineNumber.push(null);
      funcTable.columnNumber.push(null);
      return funcTable.length++;
    });
  const frame = (spec: FrameSpec) =>
    intern(`x${func(spec)}\u0000${spec.line ?? ''}\u0000${spec.address ?? ''}`, () => {
      frameTable.address.push(spec.address ?? -1);
      frameTable.inlineDepth.push(0);
      frameTable.category.push(0);
      frameTable.subcategory.push(0);
      frameTable.func.push(func(spec));
      frameTable.nativeSymbol.push(null);
      frameTable.innerWindowID.push(null);
      frameTable.line.push(spec.line ?? null);
      frameTable.column.push(null);
      return frameTable.length++;
    });
  const stack = (prefix: number | null, frameIndex: number) =>
    intern(`s${prefix}\u0000${frameIndex}`, () => {
      stackTable.prefix.push(prefix);
      stackTable.frame.push(frameIndex);
      return stackTable.length++;
    });
  const samples = { length: 0, stack: [] as (number | null)[], time: [] as number[], weight: [] as number[], weightType: 'samples', threadCPUDelta: [] as number[] };
  for (const { frames, weight } of stacks) {
    let at: number | null = null;
    for (const spec of frames) at = stack(at, frame(spec));
    samples.stack.push(at);
    samples.time.push(samples.length);
    samples.weight.push(weight ?? 1);
    samples.threadCPUDelta.push(0);
    samples.length++;
  }
  return { tables: { stackTable, frameTable, funcTable, resourceTable }, samples, strings };
}
