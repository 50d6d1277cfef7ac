/**
 * `perf script` text: samples separated by blank lines, a header line per sample
 * (`comm [pid/]tid [cpu] time: [period] event:`), then one frame per line, leaf first
 * (`ADDR SYMBOL[+0xOFF] (MODULE)`), each optionally followed by a source line when recorded
 * with `-F +srcline`. The process name becomes the root frame, as FlameGraph's collapser does.
 */
import { ByteNameTable, grownInt32, sampledHash } from '../byteNames';
import { demangle } from '../demangle';
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

const header = /^(\S.*?)\s+(?:(\d+)\/)?(\d+)\s+(?:\[(\d+)\]\s+)?(\d+\.\d+):\s*(.*)$/;
const space = 32;
const tab = 9;

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
  /** texts[i]'s frame without a source line, made when first used. */
  private frameOfText = new Int32Array(1024).fill(-1);
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
  private periodType = -1;

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
      this.flush();
      this.sampleHeader(this.decoder.decode(bytes.subarray(start, end)));
    }
  }

  finish(): Profile {
    this.flush();
    return this.builder.build();
  }

  private sampleHeader(text: string): void {
    const match = header.exec(text);
    if (!match) {
      // `perf script -F comm,ip,sym` and similar print fewer fields; the first word is the process.
      this.comm = text.trim().split(/\s+/)[0];
      this.period = undefined;
      return;
    }
    this.comm = match[1]!.trim();
    const rest = match[6]!.trim();
    const spaceAt = rest.indexOf(' ');
    const firstWord = spaceAt < 0 ? rest : rest.slice(0, spaceAt);
    if (/^\d+$/.test(firstWord)) {
      this.period = Number(firstWord);
      if (this.periodType < 0) {
        const event = (spaceAt < 0 ? '' : rest.slice(spaceAt + 1)).split(':')[0]!.trim() || 'period';
        this.periodType = this.builder.addSampleType({ name: event, unit: event.endsWith('clock') ? 'nanoseconds' : 'count' });
      }
    } else {
      this.period = undefined;
    }
  }

  private stackLine(bytes: Uint8Array, lineStart: number, end: number, lineNumber: number): void {
    let start = lineStart + 1;
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
    if (index === this.frameOfText.length) this.frameOfText = grownInt32(this.frameOfText, undefined, -1);
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
    const frame = this.newFrame({ text: frameText, address, srcline: this.decoder.decode(bytes.subarray(start, end)) }, false);
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
      if (frame < 0) {
        const text = this.sampleTexts[i]!;
        frame = this.frameOfText[text]!;
        if (frame < 0) {
          const { text: frameText, address } = this.texts[text]!;
          frame = this.newFrame({ text: frameText, address, srcline: undefined }, this.options.keepAddresses);
          this.frameOfText[text] = frame;
        }
      }
      if (sharing && depth < this.previousDepth && this.previousFrames[depth] === frame) {
        node = this.previousNodes[depth]!;
        continue;
      }
      sharing = false;
      node = b.child(node, frame);
      this.previousFrames[depth] = frame;
      this.previousNodes[depth] = node;
    }
    this.previousDepth = depth;
    b.addWeight(node, 0, 1);
    if (this.periodType >= 0) b.addWeight(node, this.periodType, this.period ?? 0);
    b.samples++;
    this.depth = 0;
    this.comm = undefined;
  }

  private root(comm: string): number {
    let frame = this.rootByComm.get(comm);
    if (frame === undefined) {
      frame = this.builder.frameId(this.builder.functionId(comm, undefined, '[process]', { external: true }));
      this.rootByComm.set(comm, frame);
    }
    return frame;
  }

  private newFrame(pending: PendingFrame, keepAddress: boolean | undefined): number {
    let symbol = pending.text;
    let module: string | undefined;
    if (symbol.endsWith(')')) {
      const open = symbol.lastIndexOf(' (');
      if (open >= 0) {
        module = symbol.slice(open + 2, -1);
        symbol = symbol.slice(0, open);
      } else if (symbol.startsWith('(')) {
        module = symbol.slice(1, -1);
        symbol = '[unknown]';
      }
    }
    symbol = symbol.replace(/\+0x[0-9a-f]+$/i, '').trim() || '[unknown]';
    const name = demangle(symbol);
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
    const b = this.builder;
    // The function is identified by name and module: its file comes from the first line seen.
    const func = b.functionId(name, undefined, module, {
      ...(name !== symbol ? { rawName: symbol } : {}),
      ...(external ? { external } : {}),
    });
    const info = b.functions[func]!;
    if (file !== undefined && info.file === undefined) info.file = file;
    const address = keepAddress ? parseInt(pending.address, 16) : undefined;
    return b.frameId(func, line, undefined, undefined, address);
  }
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

