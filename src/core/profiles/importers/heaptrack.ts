/**
 * heaptrack's data file (`heaptrack.APP.PID.zst|gz`, decompressed by the loader): the line format
 * heaptrack_interpret writes (file format 3). Strings (`s`), instruction pointers with their
 * frames (`i ip module [function file line]...`, the first frame the innermost, inlined callers
 * after it), trace nodes (`t ip parent`), allocation sites (`a size trace`), and one `+`/`-` line
 * per allocation and free of a site. The profile has heaptrack's costs as sample types, bytes at
 * the peak first (heaptrack's and memray's default view):
 * - bytes at peak: what each stack held when the heap was largest (found in one pass: a site
 *   changed after the peak keeps the value it had at the peak);
 * - leaked bytes: still allocated at exit;
 * - allocations, temporary allocations (freed right after, nothing allocated in between);
 * - bytes allocated over the whole run.
 * Its timestamps (`c MS`, written every 10 ms after the events of that interval) give the heap
 * over time: at each the most it held since the one before (heaptrack_print -M writes what it held
 * at that moment, which can miss the peak).
 */
import { demangle, withoutArgumentList } from '../demangle';
import { ProfileError } from '../errors';
import { Profile, ProfileBuilder } from '../model';
import type { LineSink } from '../text';
import { largestIndex } from '../timeline';

interface Site {
  size: number;
  trace: number;
  live: number;
  /** The event count of the peak whose value `atPeak` holds. */
  savedFor: number;
  atPeak: number;
}

const costs = [
  { name: 'bytes at peak', unit: 'bytes' },
  { name: 'leaked bytes', unit: 'bytes' },
  { name: 'allocations', unit: 'count' },
  { name: 'temporary allocations', unit: 'count' },
  { name: 'bytes allocated', unit: 'bytes' },
] as const;

export class HeaptrackImporter implements LineSink {
  private formatVersion = 0;
  private readonly strings: string[] = [''];
  /** Per instruction pointer (1-based): its address, module string, and frames [function, file, line] innermost first. */
  private readonly ips: { address: string; module: number; frames: number[] }[] = [{ address: '0', module: 0, frames: [] }];
  /** Per trace node (1-based): its instruction pointer and parent node (0: the root). */
  private readonly traces: number[] = [0, 0];
  private readonly sites: Site[] = [];
  private events = 0;
  private total = 0;
  private peak = 0;
  private peakEvent = -1;
  private lastAllocated = -1;
  private readonly perTrace = new Map<number, { allocations: number; temporary: number; allocated: number }>();
  private seenVersion = false;
  /** The memory-over-time chart: per timestamp the largest heap since the one before. */
  private readonly times: number[] = [];
  private readonly heap: number[] = [];
  private intervalMost = 0;
  private eventsSinceTimestamp = 0;

  constructor(private readonly source: string) {}

  line(text: string, lineNumber: number): void {
    if (text === '' || text.startsWith('#')) return;
    const kind = text[0];
    const rest = text.slice(2);
    switch (kind) {
      case '+':
        return this.allocate(this.index(rest, lineNumber, this.sites.length, 'allocation site'));
      case '-':
        return this.free(this.index(rest, lineNumber, this.sites.length, 'allocation site'));
      case 's':
        // The length comes first; the string is the rest of the line (it may hold spaces).
        this.strings.push(rest.slice(rest.indexOf(' ') + 1));
        return;
      case 'i': {
        // `i ADDRESS MODULE [FUNCTION [FILE LINE [FUNCTION FILE LINE]...]]`: a function may come without its file.
        const [address, module, ...fields] = rest.split(' ');
        if (address === undefined || module === undefined || (fields.length > 1 && fields.length % 3 !== 0)) {
          throw this.error(lineNumber, 'an instruction pointer line needs an address, a module, and frames of a function, file and line');
        }
        const frames = fields.map((field) => this.hex(field, lineNumber));
        if (frames.length === 1) frames.push(0, 0);
        this.ips.push({ address, module: this.hex(module, lineNumber), frames });
        return;
      }
      case 't': {
        const [ip, parent] = rest.split(' ');
        this.traces.push(this.index(ip ?? '', lineNumber, this.ips.length, 'instruction pointer'), this.index(parent ?? '', lineNumber, this.traces.length / 2, 'trace'));
        return;
      }
      case 'a': {
        const [size, trace] = rest.split(' ');
        this.sites.push({ size: this.hex(size ?? '', lineNumber), trace: this.index(trace ?? '', lineNumber, this.traces.length / 2, 'trace'), live: 0, savedFor: -1, atPeak: 0 });
        return;
      }
      case 'c':
        this.endInterval(this.hex(rest, lineNumber));
        return;
      case 'v': {
        const [, format] = rest.split(' ');
        this.formatVersion = format === undefined ? 1 : this.hex(format, lineNumber);
        if (this.formatVersion !== 3) throw this.error(lineNumber, `heaptrack file format ${this.formatVersion}, which Perf Lab does not read (it reads format 3, which heaptrack 1.4 writes)`);
        this.seenVersion = true;
        return;
      }
      default:
        // The command (X), page counts (I), RSS (R), attach markers (A): not costs.
        return;
    }
  }

  private allocate(index: number): void {
    const site = this.sites[index]!;
    this.events++;
    this.change(site, site.size);
    this.total += site.size;
    const trace = this.costsOf(site.trace);
    trace.allocations++;
    trace.allocated += site.size;
    this.lastAllocated = index;
    this.eventsSinceTimestamp++;
    if (this.total > this.intervalMost) this.intervalMost = this.total;
    if (this.total > this.peak) {
      this.peak = this.total;
      this.peakEvent = this.events;
    }
  }

  private free(index: number): void {
    const site = this.sites[index]!;
    this.events++;
    if (this.lastAllocated === index) this.costsOf(site.trace).temporary++;
    this.lastAllocated = -1;
    // A free of memory allocated before heaptrack attached is not counted against the site.
    if (site.live < site.size) return;
    this.change(site, -site.size);
    this.total -= site.size;
    this.eventsSinceTimestamp++;
    if (this.total > this.intervalMost) this.intervalMost = this.total;
  }

  /** A timestamp: a point with the most the heap held after any event since the last one (what it holds, when none). */
  private endInterval(time: number): void {
    this.times.push(time);
    this.heap.push(this.eventsSinceTimestamp > 0 ? this.intervalMost : this.total);
    this.intervalMost = 0;
    this.eventsSinceTimestamp = 0;
  }

  /** Changes a site's live bytes, first keeping the value it had at the latest peak. */
  private change(site: Site, delta: number): void {
    if (site.savedFor !== this.peakEvent) {
      site.atPeak = site.live;
      site.savedFor = this.peakEvent;
    }
    site.live += delta;
  }

  private costsOf(trace: number): { allocations: number; temporary: number; allocated: number } {
    let entry = this.perTrace.get(trace);
    if (!entry) this.perTrace.set(trace, (entry = { allocations: 0, temporary: 0, allocated: 0 }));
    return entry;
  }

  private hex(field: string, lineNumber: number): number {
    if (!/^[0-9a-f]+$/i.test(field)) throw this.error(lineNumber, `"${field}" is not a hexadecimal number`);
    return parseInt(field, 16);
  }

  /** A 0-based index (sites) or 1-based one (traces, pointers) that must exist already. */
  private index(field: string, lineNumber: number, count: number, what: string): number {
    const value = this.hex(field, lineNumber);
    if (value >= count) throw this.error(lineNumber, `refers to ${what} ${value}, which the file has not defined`);
    return value;
  }

  private error(lineNumber: number, reason: string): ProfileError {
    return new ProfileError(this.source, lineNumber, reason);
  }

  finish(): Profile {
    if (!this.seenVersion) throw new ProfileError(this.source, 1, 'a heaptrack file without its version line');
    const b = new ProfileBuilder(
      'heaptrack',
      this.source,
      costs.map((cost) => ({ ...cost })),
    );
    // Events after the last timestamp (or a file without any) end at the last time known, and the
    // chart ends with what was left at exit (the leaks), as heaptrack_print -M's last snapshot does.
    const end = this.times[this.times.length - 1] ?? 0;
    if (this.eventsSinceTimestamp > 0 || this.times.length === 0) this.endInterval(end);
    if (this.heap[this.heap.length - 1] !== this.total) {
      this.times.push(end);
      this.heap.push(this.total);
    }
    b.timeline = { timeUnit: 'ms', times: this.times, bytes: this.heap, peak: largestIndex(this.heap) };
    const text = (index: number) => this.strings[index] ?? '';
    const framesOf = new Map<number, number[]>();
    // An instruction pointer's frames, outermost first (inlined functions after their caller).
    const ipFrames = (ip: number): number[] => {
      let frames = framesOf.get(ip);
      if (frames) return frames;
      const pointer = this.ips[ip]!;
      const module = text(pointer.module) || undefined;
      const count = pointer.frames.length / 3;
      frames = [];
      for (let i = count - 1; i >= 0; i--) {
        const [name, file, line] = pointer.frames.slice(i * 3, i * 3 + 3) as [number, number, number];
        const symbol = text(name);
        const display = symbol ? withoutArgumentList(demangle(symbol)) : `0x${pointer.address}`;
        const func = b.functionId(display, text(file) || undefined, module, symbol && display !== symbol ? { rawName: symbol } : undefined);
        frames.push(b.frameId(func, line || undefined, undefined, i || undefined));
      }
      if (count === 0) frames.push(b.frameId(b.functionId(module ? `[${module.slice(module.lastIndexOf('/') + 1)}]` : `0x${pointer.address}`, undefined, module)));
      framesOf.set(ip, frames);
      return frames;
    };
    const nodeOf = new Map<number, number>();
    const stackNode = (trace: number): number => {
      if (trace === 0) return -1;
      let node = nodeOf.get(trace);
      if (node !== undefined) return node;
      node = stackNode(this.traces[trace * 2 + 1]!);
      for (const frame of ipFrames(this.traces[trace * 2]!)) node = b.child(node, frame);
      nodeOf.set(trace, node);
      return node;
    };
    const leakedOf = new Map<number, number>();
    const peakOf = new Map<number, number>();
    for (const site of this.sites) {
      const atPeak = site.savedFor === this.peakEvent ? site.atPeak : site.live;
      peakOf.set(site.trace, (peakOf.get(site.trace) ?? 0) + atPeak);
      leakedOf.set(site.trace, (leakedOf.get(site.trace) ?? 0) + site.live);
    }
    for (const [trace, cost] of this.perTrace) {
      const node = stackNode(trace);
      b.addWeight(node, 0, peakOf.get(trace) ?? 0);
      b.addWeight(node, 1, leakedOf.get(trace) ?? 0);
      b.addWeight(node, 2, cost.allocations);
      b.addWeight(node, 3, cost.temporary);
      b.addWeight(node, 4, cost.allocated);
      b.samples += cost.allocations;
    }
    return b.build();
  }
}
