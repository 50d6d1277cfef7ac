/**
 * Source lines for profiles that only have addresses (perf script without `-F +srcline`):
 * one long-lived `addr2line -a -i -f -C -e BINARY` per binary (or `llvm-addr2line`), fed many
 * addresses at once, each unique address resolved once and cached by binary path, size and
 * mtime. Far faster than `perf script -F +srcline`, which starts addr2line per address.
 */
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { demangle } from './demangle';
import { offsetToVirtual, readElf, relativeToVirtual } from './elf';
import { addressName } from './importers/processedProfile';
import { Profile, ProfileBuilder } from './model';

/** One source location of an address: the innermost (inlined) first, the real function last. */
export interface SourceLocation {
  function: string;
  file?: string;
  line?: number;
}

/** addr2line's answer for one binary, batch by batch. */
export class Addr2line {
  private readonly process: ChildProcessWithoutNullStreams;
  private buffered = '';
  private pending: { resolve: (lines: string[]) => void; reject: (error: Error) => void; lines: string[] } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private exited: Error | undefined;

  /** binutils names the innermost of several inlined frames after the outer function; llvm does not. */
  private readonly innermostNameUnreliable: boolean;

  constructor(
    readonly binary: string,
    command = defaultCommand(),
  ) {
    this.innermostNameUnreliable = !command.includes('llvm');
    this.process = spawn(command, ['-a', '-i', '-f', '-C', '-e', binary], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stdout.setEncoding('utf8');
    this.process.stdout.on('data', (chunk: string) => this.receive(chunk));
    this.process.on('error', (error) => this.fail(error));
    this.process.on('exit', (code) => this.fail(new Error(`${command} for ${binary} exited with code ${code}`)));
    this.process.stdin.on('error', (error) => this.fail(error));
  }

  /** Resolves addresses (relative to the binary, as perf script prints them). */
  resolve(addresses: readonly number[]): Promise<Map<number, SourceLocation[]>> {
    const run = async () => {
      const lines = await this.batch(addresses);
      return parseOutput(lines, addresses, this.innermostNameUnreliable);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    this.exited ??= new Error('disposed');
    this.process.stdin.end();
    this.process.kill();
  }

  private batch(addresses: readonly number[]): Promise<string[]> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, lines: [] };
      // The sentinel address 0 marks the end of this batch's answers.
      const text = `${addresses.map((address) => `0x${address.toString(16)}`).join('\n')}\n${sentinel}\n`;
      this.process.stdin.write(text);
    });
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      newline = this.buffered.indexOf('\n');
      const pending = this.pending;
      if (!pending) continue;
      pending.lines.push(line);
      // The sentinel's record is its address, then "??" and "??:0": three lines.
      const n = pending.lines.length;
      if (n >= 3 && /^0x[0-9a-f]+$/i.test(pending.lines[n - 3]!) && BigInt(pending.lines[n - 3]!) === sentinelValue) {
        this.pending = undefined;
        pending.resolve(pending.lines.slice(0, n - 3));
      }
    }
  }

  private fail(error: Error): void {
    this.exited ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}

/** An address no binary maps, to mark the end of a batch (0 can be mapped: llvm-addr2line resolves it). */
const sentinel = '0xffffffffffffffff';
const sentinelValue = BigInt(sentinel);

function parseOutput(lines: string[], addresses: readonly number[], innermostNameUnreliable: boolean): Map<number, SourceLocation[]> {
  const result = new Map<number, SourceLocation[]>();
  let current: SourceLocation[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^0x[0-9a-f]+$/i.test(line)) {
      current = [];
      result.set(parseInt(line, 16), current);
      continue;
    }
    const where = lines[++i] ?? '??:0';
    if (!current) continue;
    const location: SourceLocation = { function: demangle(line) };
    const match = /^(.*):(\d+|\?)(?: \(discriminator \d+\))?$/.exec(where);
    if (match && match[1] !== '??') {
      location.file = match[1]!;
      if (match[2] !== '?' && match[2] !== '0') location.line = Number(match[2]);
    }
    current.push(location);
  }
  for (const address of addresses) if (!result.has(address)) result.set(address, []);
  if (innermostNameUnreliable) {
    for (const locations of result.values()) {
      const innermost = locations[0];
      if (locations.length > 1 && innermost) innermost.function = `[inlined] ${innermost.file ? innermost.file.slice(innermost.file.lastIndexOf('/') + 1) : '??'}`;
    }
  }
  return result;
}

let cachedCommand: string | undefined;

/** llvm-addr2line when installed (faster on large binaries), else binutils' addr2line. */
export function defaultCommand(): string {
  if (cachedCommand === undefined) {
    const llvm = spawnSync('llvm-addr2line', ['--version'], { stdio: 'ignore' });
    cachedCommand = llvm.status === 0 ? 'llvm-addr2line' : 'addr2line';
  }
  return cachedCommand;
}

/** Resolved addresses per binary, keyed by path, size and mtime, shared by every profile. */
export class SymbolCache {
  private readonly resolved = new Map<string, Map<number, SourceLocation[]>>();
  private readonly processes = new Map<string, Addr2line>();

  constructor(private readonly command?: string) {}

  /**
   * Source locations of addresses in `binary`: file offsets as perf script prints them, or
   * addresses relative to the binary's base (the first loaded segment) as samply writes them.
   */
  async locations(binary: string, offsets: Iterable<number>, kind: 'file-offset' | 'relative' = 'file-offset'): Promise<Map<number, SourceLocation[]>> {
    const stat = statSync(binary);
    // Only regular ELF files are read: a profile names its modules, and a path to /dev/zero,
    // a FIFO or any other file must not make Perf Lab (or addr2line) read it.
    const elf = stat.isFile() ? readElf(binary) : undefined;
    if (!elf) return new Map([...new Set(offsets)].map((offset) => [offset, []]));
    // The build-id names the same binary wherever it lies; else its path, size and mtime.
    const key = `${elf.buildId ?? `${binary}\u0000${stat.size}\u0000${stat.mtimeMs}`}\u0000${kind}`;
    let known = this.resolved.get(key);
    if (!known) this.resolved.set(key, (known = new Map()));
    const missing = [...new Set(offsets)].filter((offset) => !known!.has(offset));
    if (missing.length) {
      const virtual = new Map<number, number>();
      for (const offset of missing) {
        const address = kind === 'relative' ? relativeToVirtual(elf, offset) : offsetToVirtual(elf, offset);
        if (address === undefined) known.set(offset, []);
        else virtual.set(address, offset);
      }
      const processKey = elf.buildId ?? binary;
      let process = this.processes.get(processKey);
      if (!process) this.processes.set(processKey, (process = new Addr2line(binary, this.command)));
      const answers = await process.resolve([...virtual.keys()]);
      for (const [address, locations] of answers) known.set(virtual.get(address)!, locations);
    }
    return known;
  }

  dispose(): void {
    for (const process of this.processes.values()) process.dispose();
    this.processes.clear();
  }
}

/** A regular file (not a device, FIFO or directory) that starts like an ELF object. */
function isRegularElf(file: string): boolean {
  try {
    return statSync(file).isFile() && readElf(file) !== undefined;
  } catch {
    return false;
  }
}

/**
 * A frame the profiler could not name: samply's `0x…` address, or perf's `[unknown]` in a known
 * module (imported as `[module]`, as stackcollapse-perf.pl writes it). perf leaves a whole binary
 * unnamed when it takes it for something else, e.g. any file under /tmp/perf-* for a JIT map.
 */
function unnamedByProfiler(name: string, module: string | undefined): boolean {
  return addressName.test(name) || (module !== undefined && name === `[${module.slice(module.lastIndexOf('/') + 1)}]`);
}

/**
 * Gives a profile's address-only frames their source lines, with inlined functions as frames
 * of their own. Binaries that are not on this machine keep their frames as they were.
 */
export async function symbolizeProfile(profile: Profile, cache: SymbolCache): Promise<Profile> {
  const byBinary = new Map<string, number[]>();
  profile.frames.forEach((frame) => {
    const module = profile.functions[frame.func]!.module;
    if (frame.address === undefined || frame.line !== undefined || !module || !module.startsWith('/')) return;
    let list = byBinary.get(module);
    if (!list) byBinary.set(module, (list = []));
    list.push(frame.address);
  });
  const resolved = new Map<string, Map<number, SourceLocation[]>>();
  // samply writes addresses relative to the library's base; perf script, file offsets.
  const kind = profile.format === 'processed-profile' ? 'relative' : 'file-offset';
  for (const [binary, addresses] of byBinary) {
    if (!existsSync(binary)) {
      if (profile.diagnostics.warnings.length < 20) profile.diagnostics.warnings.push(`${addresses.length} frames in ${binary} stay unresolved: the binary is not on this machine`);
      continue;
    }
    if (!isRegularElf(binary)) {
      if (profile.diagnostics.warnings.length < 20) profile.diagnostics.warnings.push(`${addresses.length} frames in ${binary} stay unresolved: not a regular ELF file, so Perf Lab does not read it`);
      continue;
    }
    try {
      resolved.set(binary, await cache.locations(binary, addresses, kind));
    } catch {
      // A binary addr2line cannot read keeps its frames without lines.
    }
  }
  if (!resolved.size) return profile;

  const b = new ProfileBuilder(
    profile.format,
    profile.source,
    profile.sampleTypes.map((type) => ({ ...type })),
  );
  b.defaultSampleType = profile.defaultSampleType;
  b.samples = profile.samples;
  b.timeline = profile.timeline;
  Object.assign(b.diagnostics, profile.diagnostics);
  const copyFunction = (func: number) => {
    const info = profile.functions[func]!;
    const id = b.functionId(info.name, info.file, info.module);
    Object.assign(b.functions[id]!, info);
    return id;
  };
  const framesFor = profile.frames.map((frame): number[] => {
    const info = profile.functions[frame.func]!;
    const locations = frame.address !== undefined && info.module ? resolved.get(info.module)?.get(frame.address) : undefined;
    if (!locations?.length) return [b.frameId(copyFunction(frame.func), frame.line, frame.column, frame.inlineDepth)];
    const outer = locations[locations.length - 1]!;
    // samply names unsymbolicated functions by address, and perf `[unknown]` (shown as
    // `[module]`) when it could not read a binary's symbols: addr2line knows the real name.
    const func =
      unnamedByProfiler(info.name, info.module) && outer.function !== '??'
        ? b.functionId(outer.function, undefined, info.module, info.external ? { external: true } : undefined)
        : copyFunction(frame.func);
    const target = b.functions[func]!;
    if (target.file === undefined && outer.file !== undefined) target.file = outer.file;
    const frames = [b.frameId(func, outer.line, undefined, undefined, undefined, outer.file !== target.file ? outer.file : undefined)];
    for (let i = locations.length - 2, depth = 1; i >= 0; i--, depth++) {
      const location = locations[i]!;
      const inlined = b.functionId(location.function, location.file, info.module);
      frames.push(b.frameId(inlined, location.line, undefined, depth));
    }
    return frames;
  });
  const newNode = new Int32Array(profile.stackParent.length);
  for (let i = 0; i < profile.stackParent.length; i++) {
    const parent = profile.stackParent[i]!;
    let node = parent < 0 ? -1 : newNode[parent]!;
    for (const frame of framesFor[profile.stackFrame[i]!]!) node = b.child(node, frame);
    newNode[i] = node;
    profile.weights.forEach((weights, type) => {
      if (weights[i]) b.addWeight(node, type, weights[i]!);
    });
  }
  return b.build();
}
