/**
 * `perf script` text: samples separated by blank lines, a header line per sample
 * (`comm [pid/]tid [cpu] time: [period] event:`), then one frame per line, leaf first
 * (`ADDR SYMBOL[+0xOFF] (MODULE)`), each optionally followed by a source line when recorded
 * with `-F +srcline`. The process name becomes the root frame, as FlameGraph's collapser does.
 */
import { demangle } from '../demangle';
import { Profile, ProfileBuilder } from '../model';
import { LineSink } from '../text';

export interface PerfScriptOptions {
  /** Keep each frame's address (one frame per address) so a symbolizer can add lines later. */
  keepAddresses?: boolean;
}

interface PendingFrame {
  /** "SYMBOL (MODULE)" text after the address, the cache key. */
  text: string;
  address: string;
  srcline: string | undefined;
}

const header = /^(\S.*?)\s+(?:(\d+)\/)?(\d+)\s+(?:\[(\d+)\]\s+)?(\d+\.\d+):\s*(.*)$/;

export class PerfScriptImporter implements LineSink {
  private readonly builder: ProfileBuilder;
  private readonly frameByText = new Map<string, number>();
  private readonly rootByComm = new Map<string, number>();
  /** The current sample's frames, leaf first; parallel arrays reused from sample to sample. */
  private frameTexts: string[] = [];
  private frameAddresses: string[] = [];
  private frameSrclines: (string | undefined)[] = [];
  private frameCount = 0;
  /** The previous sample's frames from the root, and their nodes. */
  private previousRoot = -1;
  private readonly previousTexts: string[] = [];
  private readonly previousAddresses: string[] = [];
  private readonly previousSrclines: (string | undefined)[] = [];
  private readonly previousNodes: number[] = [];
  private comm: string | undefined;
  private period: number | undefined;
  private periodType = -1;

  constructor(
    source: string,
    private readonly options: PerfScriptOptions = {},
  ) {
    this.builder = new ProfileBuilder('perf-script', source, [{ name: 'samples', unit: 'count' }]);
  }

  line(text: string, lineNumber: number): void {
    const first = text.charCodeAt(0);
    if (first === 32 || first === 9) {
      this.stackLine(text, lineNumber);
    } else if (text.length === 0) {
      this.flush();
    } else if (first === 35 /* # */) {
      // header comments
    } else {
      this.flush();
      this.sampleHeader(text);
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
    const space = rest.indexOf(' ');
    const firstWord = space < 0 ? rest : rest.slice(0, space);
    if (/^\d+$/.test(firstWord)) {
      this.period = Number(firstWord);
      if (this.periodType < 0) {
        const event = (space < 0 ? '' : rest.slice(space + 1)).split(':')[0]!.trim() || 'period';
        this.periodType = this.builder.addSampleType({ name: event, unit: event.endsWith('clock') ? 'nanoseconds' : 'count' });
      }
    } else {
      this.period = undefined;
    }
  }

  private stackLine(text: string, lineNumber: number): void {
    let start = 1;
    while (start < text.length && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
    if (start === text.length) {
      this.flush();
      return;
    }
    let end = start;
    while (end < text.length && isHex(text.charCodeAt(end))) end++;
    if (end > start && text.charCodeAt(end) === 32) {
      if (this.comm === undefined) {
        this.builder.skip(lineNumber, 'stack frame outside a sample');
        return;
      }
      const i = this.frameCount++;
      this.frameTexts[i] = text.slice(end + 1);
      this.frameAddresses[i] = this.options.keepAddresses ? text.slice(start, end) : '';
      this.frameSrclines[i] = undefined;
      return;
    }
    // A source line (`perf script -F +srcline`) belongs to the frame above it.
    const last = this.frameCount - 1;
    if (last >= 0 && this.frameSrclines[last] === undefined) this.frameSrclines[last] = text.slice(start);
    else this.builder.skip(lineNumber, 'neither a stack frame nor a source line');
  }

  private flush(): void {
    if (this.comm === undefined) return;
    const b = this.builder;
    const root = b.child(-1, this.root(this.comm));
    // Consecutive samples often share their outer frames: while the frame lines agree (plain
    // string comparisons), reuse the previous sample's nodes and skip the hash lookups.
    let sharing = root === this.previousRoot;
    this.previousRoot = root;
    let node = root;
    let depth = 0;
    for (let i = this.frameCount - 1; i >= 0; i--, depth++) {
      const text = this.frameTexts[i]!;
      const address = this.frameAddresses[i]!;
      const srcline = this.frameSrclines[i];
      if (sharing && this.previousTexts[depth] === text && this.previousAddresses[depth] === address && this.previousSrclines[depth] === srcline) {
        node = this.previousNodes[depth]!;
        continue;
      }
      sharing = false;
      node = b.child(node, this.frame(text, address, srcline));
      this.previousTexts[depth] = text;
      this.previousAddresses[depth] = address;
      this.previousSrclines[depth] = srcline;
      this.previousNodes[depth] = node;
    }
    this.previousTexts.length = depth;
    b.addWeight(node, 0, 1);
    if (this.periodType >= 0) b.addWeight(node, this.periodType, this.period ?? 0);
    b.samples++;
    this.frameCount = 0;
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

  private frame(text: string, address: string, srcline: string | undefined): number {
    const keepAddress = this.options.keepAddresses && srcline === undefined;
    const key = keepAddress ? `${address} ${text}` : srcline === undefined ? text : `${text}\n${srcline}`;
    let frame = this.frameByText.get(key);
    if (frame === undefined) {
      frame = this.newFrame({ text, address, srcline }, keepAddress);
      this.frameByText.set(key, frame);
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
