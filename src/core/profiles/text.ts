/**
 * Streaming text for importers: decodes byte chunks (UTF-8, or UTF-16 LE/BE by their byte-order
 * mark) and hands over whole lines without ever holding the whole file as one string.
 */
import { ProfileError } from './errors';

/** Receives lines in order; `lineNumber` starts at 1. CR before LF is already removed. */
export interface LineSink {
  line(text: string, lineNumber: number): void;
}

/** Longest line accepted; longer ones are an error rather than unbounded memory. */
export const maxLineLength = 64 * 1024 * 1024;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export function encodingOf(head: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Splits decoded text into lines across chunk boundaries. */
export class LineSplitter {
  private pending = '';
  private lineNumber = 0;
  private decoder: InstanceType<typeof TextDecoder> | undefined;
  private swapBytes = false;
  private odd: number | undefined;

  constructor(
    private readonly sink: LineSink,
    private readonly file: string,
  ) {}

  /** Feeds raw bytes; the first chunk decides the encoding. */
  push(chunk: Uint8Array): void {
    if (!this.decoder) {
      const { encoding, bomLength } = encodingOf(chunk);
      // Node's TextDecoder has no streaming UTF-16 BE, so BE bytes are swapped into LE.
      this.swapBytes = encoding === 'utf-16be';
      this.decoder = new TextDecoder(this.swapBytes ? 'utf-16le' : encoding, { fatal: false });
      chunk = chunk.subarray(bomLength);
    }
    if (this.swapBytes) chunk = this.swap(chunk);
    this.text(this.decoder.decode(chunk, { stream: true }));
  }

  /** Feeds already-decoded text. */
  text(text: string): void {
    let start = 0;
    let newline = text.indexOf('\n');
    if (newline < 0) {
      this.pending += text;
      if (this.pending.length > maxLineLength) this.tooLong();
      return;
    }
    if (this.pending) {
      this.emit(this.pending + text.slice(0, newline));
      this.pending = '';
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    while (newline >= 0) {
      this.emit(text.slice(start, newline));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = text.slice(start);
    if (this.pending.length > maxLineLength) this.tooLong();
  }

  end(): number {
    if (this.decoder) this.text(this.decoder.decode());
    if (this.pending) this.emit(this.pending);
    this.pending = '';
    return this.lineNumber;
  }

  private emit(line: string): void {
    this.lineNumber++;
    if (line.length > maxLineLength) this.tooLong();
    const last = line.length - 1;
    this.sink.line(last >= 0 && line.charCodeAt(last) === 13 ? line.slice(0, last) : line, this.lineNumber);
  }

  private tooLong(): never {
    throw new ProfileError(this.file, this.lineNumber + 1, `line is longer than ${maxLineLength / 1024 / 1024} MB`);
  }

  private swap(chunk: Uint8Array): Uint8Array {
    const bytes = this.odd === undefined ? chunk : concat(Uint8Array.of(this.odd), chunk);
    const even = bytes.length & ~1;
    this.odd = even < bytes.length ? bytes[even] : undefined;
    const swapped = new Uint8Array(even);
    for (let i = 0; i < even; i += 2) {
      swapped[i] = bytes[i + 1]!;
      swapped[i + 1] = bytes[i]!;
    }
    return swapped;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
