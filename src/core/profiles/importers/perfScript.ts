/**
 * `perf script` text: samples separated by blank lines, a header line per sample
 * (`comm [pid/]tid [cpu] [time:] [period] event:`), then one frame per line, leaf first
 * (`ADDR SYMBOL[+0xOFF] (MODULE)`), each optionally followed by a source line when recorded
 * with `-F +srcline`. A sample recorded without call graphs has its one frame on the header
 * line. The process name becomes the root frame, as FlameGraph's collapser does.
 *
 * Each event is its own pair of sample types (samples, and the period perf printed); the first
 * event's period is the default, as `perf report` and the collapsers show it. Frame names
 * follow stackcollapse-perf.pl: an unknown symbol in a known module is `[module]`, C++
 * argument lists are dropped (the full text stays as `rawName`), Java's leading `L` goes and
 * inlined `A->B` frames are split.
 */
import { ByteNameTable, grownInt32, sampledHash } from '../byteNames';
import { demangle, withoutArgumentList } from '../demangle';
import { Profile, ProfileBuilder } from '../model';
import { ByteLineSink } from '../text';

export interface PerfScriptOptions {
  /** Keep each frame's address (one frame per address) so a symbolizer can add lines later. */
  keepAddresses?: boolean;
}

interface PendingFrame {
  /** "SYMBOL (MODULE)" text after the address. */
  text: string;
  address: string;
  srcline: string | undefined;
}

/** REST: `[cpu] time: period event:` with each part but the event optional, then maybe a frame. */
const recordRest = /^(?:\[\d+\]\s+)?(?:\d+\.\d+:\s*)?(?:(\d+)\s+)?(\S+?):(?:\s+(.*))?$/;

/** `comm pid[/tid] ` with a one-word comm: anchored, no backtracking over the line. */
const simpleRecordStart = /^(\S+)[ \t]+\d+(?:\/\d+)?[ \t]+/;

/** A sample header's parts: the process name (spaces as underscores) and the rest, read. */
export interface RecordHeader {
  comm: string;
  period: number | undefined;
  event: string;
  /** The sample's one frame, when it was recorded without call graphs. */
  frame: string | undefined;
}

/**
 * `comm [pid/]tid REST`, found as stackcollapse-perf.pl finds a record's start (the first word
 * after the first that is a number or number/number), by words rather than a regular expression
 * with `.*?\s+`, which is quadratic on a hostile line.
 */
export function parseRecordHeader(text: string): RecordHeader | undefined {
  let comm: string;
  let restText: string;
  // The common case first: a one-word process name.
  const simple = simpleRecordStart.exec(text);
  if (simple) {
    comm = simple[1]!;
    restText = text.slice(simple[0].length);
  } else {
    const words = [...text.matchAll(/\S+/g)];
    const pid = words.findIndex((word, i) => i > 0 && /^\d+(\/\d+)?$/.test(word[0]));
    if (pid < 0 || pid === words.length - 1) return undefined;
    const after = words[pid]!;
    restText = text.slice(after.index! + after[0].length);
    comm = words
      .slice(0, pid)
      .map((word) => word[0])
      .join('_');
  }
  const rest = recordRest.exec(restText.trim());
  if (!rest) return undefined;
  return { comm, period: rest[1] === undefined ? undefined : Number(rest[1]), event: rest[2]!, frame: rest[3] || undefined };
}
/** A frame line's text: `ADDR SYMBOL (MODULE)` (indented, or not in some `perf script -F` outputs). */
const frameText = /^\s*[0-9a-fA-F]+\s+\S/;
const space = 32;
const tab = 9;

/** The sample types of one event: its sample count, and its period once perf printed one. */
interface EventTypes {
  event: string;
  samples: number;
  period: number;
}

export class PerfScriptImporter implements ByteLineSink {
  private readonly builder: ProfileBuilder;
  private readonly decoder = new TextDecoder();
  /**
   * A frame line's bytes after the address (with the address when kept for a symbolizer) → an
   * index into `texts`. Found by hashing the line's bytes where they lie: no string is made per
   * line, only for a text seen for the first time.
   */
  private readonly textIndex = new ByteNameTable();
  private readonly texts: { text: string; address: string }[] = [];
  /**
   * texts[i]'s frame without a source line, made when first used (-1 before); an inlined chain
   * `A->B->C` is stored as -2 - its index in `inlineChains`.
   */
  private frameOfText = new Int32Array(1024).fill(-1);
  /** The frame of a text in a caller's place (its address a return address), when addresses are kept. */
  private callerFrameOfText = new Int32Array(1024).fill(-1);
  /** Frames of inlined chains, outermost first. */
  private readonly inlineChains: number[][] = [];
  /** (text index, source line) → frame, for `perf script -F +srcline`; keys built in `srclineKey`. */
  private readonly frameBySrcline = new ByteNameTable();
  private srclineKey = new Uint8Array(256);
  private readonly rootByComm = new Map<string, number>();
  /** The current sample's frames, leaf first: the text index, and the frame when a source line gave it. */
  private sampleTexts = new Int32Array(256);
  private sampleFrames = new Int32Array(256);
  private depth = 0;
  /** The previous sample's frames from the root, their stack nodes, and its root. */
  private previousFrames = new Int32Array(256);
  private previousNodes = new Int32Array(256);
  private previousDepth = 0;
  private previousRoot = -1;
  private comm: string | undefined;
  private period: number | undefined;
  /** The sample types of each event, in the order the events first appear. */
  private readonly events: EventTypes[] = [];
  private currentEvent: EventTypes | undefined;
  private readonly encoder = new TextEncoder();

  constructor(
    source: string,
    private readonly options: PerfScriptOptions = {},
  ) {
    this.builder = new ProfileBuilder('perf-script', source, [{ name: 'samples', unit: 'count' }]);
  }

  lineBytes(bytes: Uint8Array, start: number, end: number, lineNumber: number): void {
    const first = bytes[start];
    if (start === end) {
      this.flush();
    } else if (first === space || first === tab) {
      this.stackLine(bytes, start, end, lineNumber);
    } else if (first === 35 /* # */) {
      // header comments
    } else {
      const text = this.decoder.decode(bytes.subarray(start, end));
      // Some `perf script -F` outputs do not indent frames: a line is a header only when it
      // reads as one, as in stackcollapse-perf.pl.
      if (this.comm !== undefined && frameText.test(text) && !parseRecordHeader(text)) {
        this.stackLine(bytes, start, end, lineNumber);
        return;
      }
      this.flush();
      this.sampleHeader(text, lineNumber);
    }
  }

  finish(): Profile {
    this.flush();
    this.nameSampleTypes();
    return this.builder.build();
  }

  private sampleHeader(text: string, lineNumber: number): void {
    const header = parseRecordHeader(text);
    if (!header) {
      // `perf script -F comm,ip,sym` and similar print fewer fields; the first word is the process.
      this.comm = text.trim().split(/\s+/)[0]!;
      this.period = undefined;
      this.currentEvent = this.eventTypes('');
      return;
    }
    // Spaces in a thread name become underscores, as the collapsers write them.
    this.comm = header.comm;
    this.period = header.period;
    this.currentEvent = this.eventTypes(header.event);
    if (this.period !== undefined && this.currentEvent.period < 0) {
      const event = this.currentEvent.event || 'period';
      this.currentEvent.period = this.builder.addSampleType({ name: event, unit: /(^|-)clock$/.test(event) ? 'nanoseconds' : 'count' });
      if (this.currentEvent === this.events[0]) this.builder.defaultSampleType = this.currentEvent.period;
    }
    // Recorded without call graphs: the sample's one frame follows the event on the same line.
    const frame = header.frame;
    if (frame && frameText.test(frame)) {
      const bytes = this.encoder.encode(`\t${frame}`);
      this.stackLine(bytes, 0, bytes.length, lineNumber);
    }
  }

  private eventTypes(event: string): EventTypes {
    let types = this.events.find((known) => known.event === event);
    if (!types) {
      const samples = this.events.length === 0 ? 0 : this.builder.addSampleType({ name: 'samples', unit: 'count' });
      types = { event, samples, period: -1 };
      this.events.push(types);
    }
    return types;
  }

  /** With several events, each sample count says whose it is. */
  private nameSampleTypes(): void {
    if (this.events.length < 2) return;
    for (const { event, samples } of this.events) this.builder.sampleTypes[samples]!.name = `${event || 'unnamed event'} samples`;
    const others = this.events.slice(1).map((types) => types.event || 'unnamed');
    this.builder.warn(`several events in one recording: ${this.events[0]!.event} is shown; ${others.join(', ')} are sample types of their own`);
  }

  private stackLine(bytes: Uint8Array, lineStart: number, end: number, lineNumber: number): void {
    let start = lineStart;
    while (start < end && (bytes[start] === space || bytes[start] === tab)) start++;
    if (start === end) {
      this.flush();
      return;
    }
    let hexEnd = start;
    while (hexEnd < end && isHex(bytes[hexEnd]!)) hexEnd++;
    if (hexEnd > start && bytes[hexEnd] === space) {
      if (this.comm === undefined) {
        this.builder.skip(lineNumber, 'stack frame outside a sample');
        return;
      }
      if (this.depth === this.sampleTexts.length) {
        this.sampleTexts = grownInt32(this.sampleTexts);
        this.sampleFrames = grownInt32(this.sampleFrames);
      }
      this.sampleTexts[this.depth] = this.text(bytes, this.options.keepAddresses ? start : hexEnd + 1, end, hexEnd - start);
      this.sampleFrames[this.depth] = -1;
      this.depth++;
      return;
    }
    // A source line (`perf script -F +srcline`) belongs to the frame above it.
    const last = this.depth - 1;
    if (last >= 0 && this.sampleFrames[last] === -1) this.sampleFrames[last] = this.srclineFrame(this.sampleTexts[last]!, bytes, start, end);
    else this.builder.skip(lineNumber, 'neither a stack frame nor a source line');
  }

  /** The index of a frame line's text, `bytes[start, end)`, whose first `addressLength` bytes are the address when kept. */
  private text(bytes: Uint8Array, start: number, end: number, addressLength: number): number {
    const hash = sampledHash(bytes, start, end);
    const known = this.textIndex.find(bytes, start, end, hash);
    if (known >= 0) return known;
    const key = this.decoder.decode(bytes.subarray(start, end));
    const kept = this.options.keepAddresses;
    const index = this.texts.push({ text: kept ? key.slice(addressLength + 1) : key, address: kept ? key.slice(0, addressLength) : '' }) - 1;
    this.textIndex.add(bytes, start, end, hash, index);
    if (index === this.frameOfText.length) {
      this.frameOfText = grownInt32(this.frameOfText, undefined, -1);
      this.callerFrameOfText = grownInt32(this.callerFrameOfText, undefined, -1);
    }
    return index;
  }

  /** The frame of a text with its source line. */
  private srclineFrame(text: number, bytes: Uint8Array, start: number, end: number): number {
    const length = 4 + end - start;
    if (length > this.srclineKey.length) this.srclineKey = new Uint8Array(length * 2);
    const key = this.srclineKey;
    key[0] = text & 0xff;
    key[1] = (text >>> 8) & 0xff;
    key[2] = (text >>> 16) & 0xff;
    key[3] = text >>> 24;
    key.set(bytes.subarray(start, end), 4);
    const hash = sampledHash(key, 0, length);
    const known = this.frameBySrcline.find(key, 0, length, hash);
    if (known >= 0) return known;
    const { text: frameText, address } = this.texts[text]!;
    const frame = this.frameOrChain(this.newFrames({ text: frameText, address, srcline: this.decoder.decode(bytes.subarray(start, end)) }, false));
    this.frameBySrcline.add(key, 0, length, hash, frame);
    return frame;
  }

  private flush(): void {
    if (this.comm === undefined) return;
    const b = this.builder;
    const root = b.child(-1, this.root(this.comm));
    if (this.depth > this.previousFrames.length) {
      this.previousFrames = grownInt32(this.previousFrames, this.depth);
      this.previousNodes = grownInt32(this.previousNodes, this.depth);
    }
    // Consecutive samples often share their outer frames: while the frames agree, reuse the
    // previous sample's nodes and skip the tree lookups.
    let sharing = root === this.previousRoot;
    this.previousRoot = root;
    let node = root;
    let depth = 0;
    for (let i = this.depth - 1; i >= 0; i--, depth++) {
      let frame = this.sampleFrames[i]!;
      if (frame === -1) {
        const text = this.sampleTexts[i]!;
        // Every frame but the leaf holds a return address: the instruction after the call, which
        // can be the next line or the next inlined function. Its lines are looked up one byte
        // earlier, inside the call, as perf report, pprof and samply do; so a caller frame is not
        // the leaf frame of the same address. (samply's files hold adjusted addresses already.)
        const caller = i > 0 && this.options.keepAddresses === true;
        const frames = caller ? this.callerFrameOfText : this.frameOfText;
        frame = frames[text]!;
        if (frame === -1) {
          const { text: line, address } = this.texts[text]!;
          frame = this.frameOrChain(this.newFrames({ text: line, address, srcline: undefined }, this.options.keepAddresses, caller));
          frames[text] = frame;
        }
      }
      if (sharing && depth < this.previousDepth && this.previousFrames[depth] === frame) {
        node = this.previousNodes[depth]!;
        continue;
      }
      sharing = false;
      if (frame >= 0) node = b.child(node, frame);
      else for (const inlined of this.inlineChains[-2 - frame]!) node = b.child(node, inlined);
      this.previousFrames[depth] = frame;
      this.previousNodes[depth] = node;
    }
    this.previousDepth = depth;
    const event = this.currentEvent ?? this.eventTypes('');
    b.addWeight(node, event.samples, 1);
    // A sample without a period counts 1, as the collapsers count it.
    if (event.period >= 0) b.addWeight(node, event.period, this.period ?? 1);
    b.samples++;
    this.depth = 0;
    this.comm = undefined;
  }

  /** One frame as itself, several (an inlined chain) as -2 - their index in `inlineChains`. */
  private frameOrChain(frames: number[]): number {
    if (frames.length === 1) return frames[0]!;
    return -2 - (this.inlineChains.push(frames) - 1);
  }

  private root(comm: string): number {
    let frame = this.rootByComm.get(comm);
    if (frame === undefined) {
      frame = this.builder.frameId(this.builder.functionId(comm, undefined, '[process]', { external: true }));
      this.rootByComm.set(comm, frame);
    }
    return frame;
  }

  /**
   * The frames of one frame line: one, or an inlined chain `A->B->C` outermost first. Names as
   * stackcollapse-perf.pl tidies them; the text perf printed stays as `rawName`.
   */
  private newFrames(pending: PendingFrame, keepAddress: boolean | undefined, returnAddress = false): number[] {
    let symbol = pending.text;
    let module: string | undefined;
    if (symbol.endsWith(')')) {
      const open = symbol.lastIndexOf(' (');
      if (open >= 0) {
        module = symbol.slice(open + 2, -1);
        symbol = symbol.slice(0, open);
      } else if (symbol.startsWith('(')) {
        module = symbol.slice(1, -1);
        symbol = '';
      }
    }
    symbol = symbol.replace(/\+0x[0-9a-f]+$/i, '').trim();
    let file: string | undefined;
    let line: number | undefined;
    if (pending.srcline !== undefined) {
      const colon = pending.srcline.lastIndexOf(':');
      const lineText = colon >= 0 ? pending.srcline.slice(colon + 1) : '';
      if (colon > 0 && /^\d+$/.test(lineText) && !pending.srcline.startsWith('[')) {
        file = pending.srcline.slice(0, colon);
        line = Number(lineText) || undefined;
      }
    }
    const external = module !== undefined && (module.startsWith('[kernel') || module === '[unknown]' || module === '[vdso]');
    const address = keepAddress ? Math.max(0, parseInt(pending.address, 16) - (returnAddress ? 1 : 0)) : undefined;
    const b = this.builder;
    // `operator->` is a name, not an inlined call.
    const parts = symbol.split(/(?<!operator)->/);
    return parts.map((part, inlineDepth) => {
      const name = this.frameName(part, module);
      // The function is identified by name and module: its file comes from the first line seen.
      const func = b.functionId(name, undefined, module, {
        ...(name !== part && part ? { rawName: part } : {}),
        ...(external ? { external } : {}),
      });
      const innermost = inlineDepth === parts.length - 1;
      const info = b.functions[func]!;
      if (innermost && file !== undefined && info.file === undefined) info.file = file;
      return b.frameId(func, innermost ? line : undefined, undefined, inlineDepth || undefined, innermost ? address : undefined);
    });
  }

  /** A frame's display name: demangled, tidied, and `[module]` when only the module is known. */
  private frameName(symbol: string, module: string | undefined): string {
    if (symbol === '' || symbol === '[unknown]') {
      if (module === undefined || module === '[unknown]') return '[unknown]';
      return `[${module.slice(module.lastIndexOf('/') + 1)}]`;
    }
    let name = withoutArgumentList(demangle(symbol));
    // Java frames from perf-map-agent: `Lorg/x/Y;.call` is shown as `org/x/Y:.call` (the `;` as
    // the folded format writes it).
    if (this.comm?.startsWith('java') && name.includes('/')) name = name.replace(/^L/, '');
    return name;
  }
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}
