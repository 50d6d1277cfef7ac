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

function lineTooLong(file: string, line: number): ProfileError {
  return new ProfileError(file, line, `line is longer than ${maxLineLength / 1024 / 1024} MB`);
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export function encodingOf(head: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/**
 * Decodes byte chunks to text: the first chunk's byte-order mark decides the encoding. Node's
 * TextDecoder has no streaming UTF-16 BE, so BE bytes are swapped into LE first.
 */
export class ChunkDecoder {
  private decoder: InstanceType<typeof TextDecoder> | undefined;
  private swapBytes = false;
  private odd: number | undefined;
  encoding: TextEncoding | undefined;

  /** Strips the byte-order mark of the first chunk and sets `encoding`; returns the rest. */
  start(chunk: Uint8Array): Uint8Array {
    if (this.encoding) return chunk;
    const { encoding, bomLength } = encodingOf(chunk);
    this.encoding = encoding;
    this.swapBytes = encoding === 'utf-16be';
    this.decoder = new TextDecoder(this.swapBytes ? 'utf-16le' : encoding, { fatal: false });
    return chunk.subarray(bomLength);
  }

  decode(chunk: Uint8Array): string {
    chunk = this.start(chunk);
    if (this.swapBytes) chunk = this.swap(chunk);
    return this.decoder!.decode(chunk, { stream: true });
  }

  flush(): string {
    return this.decoder ? this.decoder.decode() : '';
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

/** Splits decoded text into lines across chunk boundaries. */
export class LineSplitter {
  private pending = '';
  private lineNumber = 0;
  private readonly decoder = new ChunkDecoder();

  constructor(
    private readonly sink: LineSink,
    private readonly file: string,
  ) {}

  /** Feeds raw bytes; the first chunk decides the encoding. */
  push(chunk: Uint8Array): void {
    this.text(this.decoder.decode(chunk));
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

  /** The last line had no line break after it: the file may have been cut off. */
  unterminated = false;

  end(): number {
    this.text(this.decoder.flush());
    if (this.pending) {
      this.unterminated = true;
      this.emit(this.pending);
    }
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
    throw lineTooLong(this.file, this.lineNumber + 1);
  }
}

/** Receives lines as byte ranges of UTF-8 (valid only during the call); CR before LF is removed. */
export interface ByteLineSink {
  lineBytes(bytes: Uint8Array, start: number, end: number, lineNumber: number): void;
}

/**
 * Splits byte chunks into UTF-8 lines without decoding them to strings (the fast path for
 * importers that only need strings for the few distinct names). UTF-16 input is transcoded.
 */
export class ByteLineSplitter {
  private pending: Uint8Array | undefined;
  private lineNumber = 0;
  private readonly decoder = new ChunkDecoder();
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly sink: ByteLineSink,
    private readonly file: string,
  ) {}

  push(chunk: Uint8Array): void {
    chunk = this.decoder.start(chunk);
    if (this.decoder.encoding !== 'utf-8') chunk = this.encoder.encode(this.decoder.decode(chunk));
    this.bytes(chunk);
  }

  /** The last line had no line break after it: the file may have been cut off. */
  unterminated = false;

  end(): number {
    if (this.decoder.encoding && this.decoder.encoding !== 'utf-8') this.bytes(this.encoder.encode(this.decoder.flush()));
    if (this.pending?.length) {
      this.unterminated = true;
      this.emit(this.pending, 0, this.pending.length);
    }
    this.pending = undefined;
    return this.lineNumber;
  }

  private bytes(chunk: Uint8Array): void {
    // Sinks always get plain Uint8Arrays (one element type keeps their loops fast); newlines are
    // found by Buffer's native byte search on a view of the same memory.
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const search = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = 0;
    let newline = search.indexOf(10);
    if (this.pending) {
      if (newline < 0) {
        this.pending = concat(this.pending, bytes);
        if (this.pending.length > maxLineLength) this.tooLong();
        return;
      }
      const line = concat(this.pending, bytes.subarray(0, newline));
      this.pending = undefined;
      this.emit(line, 0, line.length);
      start = newline + 1;
      newline = search.indexOf(10, start);
    }
    while (newline >= 0) {
      this.emit(bytes, start, newline);
      start = newline + 1;
      newline = search.indexOf(10, start);
    }
    if (start < bytes.length) {
      // A copy: holding a view would keep the whole chunk alive.
      this.pending = new Uint8Array(bytes.length - start);
      this.pending.set(bytes.subarray(start));
      if (this.pending.length > maxLineLength) this.tooLong();
    }
  }

  private emit(bytes: Uint8Array, start: number, end: number): void {
    this.lineNumber++;
    if (end - start > maxLineLength) this.tooLong();
    if (end > start && bytes[end - 1] === 13) end--;
    this.sink.lineBytes(bytes, start, end, this.lineNumber);
  }

  private tooLong(): never {
    throw lineTooLong(this.file, this.lineNumber + 1);
  }
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
