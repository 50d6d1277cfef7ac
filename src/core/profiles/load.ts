/**
 * Reading a profile file: gzip is undone, the format is detected from the content (not the
 * name), text formats are streamed line by line, JSON and protobuf are read whole up to a cap.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { open, stat } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { createGunzip, gunzipSync } from 'node:zlib';
import { ShapeError } from '../shape';
import { ProfileError } from './errors';
import { CallgrindImporter } from './importers/callgrind';
import { importCpuProfile } from './importers/cpuprofile';
import { importDhat, isDhat } from './importers/dhat';
import { FoldedImporter } from './importers/folded';
import { importHeapProfile, isHeapProfile } from './importers/heapProfile';
import { HeaptrackImporter } from './importers/heaptrack';
import { MassifImporter } from './importers/massif';
import { parseRecordHeader, PerfScriptImporter } from './importers/perfScript';
import { importPprof } from './importers/pprof';
import { importProcessedProfile, isProcessedProfile } from './importers/processedProfile';
import { importSpeedscope } from './importers/speedscope';
import { Profile, ProfileBuilder, totalWeight } from './model';
import { SymbolCache, symbolizeProfile } from './symbolize';
import { ByteLineSplitter, encodingOf, LineSink, LineSplitter } from './text';

export type ProfileFormat = 'perf-script' | 'folded' | 'callgrind' | 'pprof' | 'cpuprofile' | 'heapprofile' | 'speedscope' | 'processed-profile' | 'heaptrack' | 'massif' | 'dhat';

export interface LoadOptions {
  /** Keep instruction addresses of perf frames for a symbolizer. */
  keepAddresses?: boolean;
  /** Resolve source lines of address-only frames with addr2line through this cache. */
  symbols?: SymbolCache;
  /** Largest JSON or protobuf document read whole (bytes, after gunzip). */
  maxDocumentBytes?: number;
}

const defaultMaxDocumentBytes = 512 * 1024 * 1024;
/** A gzipped document past this size that expanded more than `bombRatio` times is refused. */
const bombBytes = 64 * 1024 * 1024;
const bombRatio = 200;
/** How much of a file's start format detection reads. */
const detectionBytes = 65536;
/** A frame line, indented or not (some `perf script -F` outputs do not indent). */
const perfFrame = /^\s*[0-9a-fA-F]+\s+\S[^\n]*\)\s*$|^\s+[0-9a-fA-F]+ \S/;
/** A perf script sample header (`comm [pid/]tid [cpu] [time:] [period] event:`) with no frame after it. */
const perfHeader = (line: string) => {
  const header = !/^\s/.test(line) ? parseRecordHeader(line) : undefined;
  return header !== undefined && header.frame === undefined;
};
/** A header with its sample's one frame on the same line (recorded without call graphs). */
const perfSingleLine = (line: string) => {
  const frame = !/^\s/.test(line) ? parseRecordHeader(line)?.frame : undefined;
  return frame !== undefined && perfFrame.test(frame);
};

/** Which format the first bytes of a file are in, or an error naming what it looks like. */
export function detectFormat(head: Uint8Array, source: string): ProfileFormat | 'json' {
  const { encoding, bomLength } = encodingOf(head);
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) {
    throw new ProfileError(source, undefined, 'a zip archive, not a profile: unzip it and open the profile inside');
  }
  if (encoding === 'utf-8' && looksBinary(head.subarray(bomLength))) {
    // A protobuf message starts with a field key: pprof's fields are 1-14, varint or length-delimited.
    const field = head[0]! >> 3;
    const wire = head[0]! & 7;
    if (field >= 1 && field <= 14 && (wire === 0 || wire === 2)) return 'pprof';
    throw new ProfileError(source, 1, 'binary data that is not a profile Perf Lab reads (perf script text, folded stacks, callgrind, pprof, .cpuprofile, speedscope JSON, heaptrack, massif or DHAT)');
  }
  const text = new TextDecoder(encoding === 'utf-16be' ? 'utf-16be' : encoding).decode(head.subarray(bomLength));
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  const lines = text.split('\n', 400).map((line) => line.replace(/\r$/, ''));
  // heaptrack's data file opens with its version line; massif's with desc:, cmd: and time_unit:
  // (heaptrack_print -M writes them last, after the snapshots).
  if (/^v [0-9a-f]+ [0-9a-f]+$/.test(lines[0] ?? '') && lines.some((line) => /^[stia] [0-9a-f]/.test(line))) return 'heaptrack';
  if (/^desc:/.test(lines[0] ?? '') && lines.slice(0, 4).some((line) => line.startsWith('time_unit:'))) return 'massif';
  if (/^#-+$/.test(lines[0] ?? '') && /^snapshot=\d+$/.test(lines[1] ?? '')) return 'massif';
  if (lines.some((line) => /^(# callgrind format|events:|positions:)/.test(line)) || /^(version|creator|cmd):/.test(start)) return 'callgrind';
  for (let i = 0; i < lines.length - 1; i++) {
    if (perfHeader(lines[i]!) && perfFrame.test(lines[i + 1]!)) return 'perf-script';
    if (perfSingleLine(lines[i]!) && (perfSingleLine(lines[i + 1]!) || lines[i + 1] === '')) return 'perf-script';
  }
  if (lines.some((line) => line.startsWith('# captured on') || line.startsWith('# perf version'))) return 'perf-script';
  // pprof's legacy text profiles (`--- contention ---`, `heap profile: ...`, `N M @ 0xADDR ...`)
  // have lines ending in numbers too: they are not folded stacks.
  if (lines.some((line) => /^--- \w[\w ]* ---$|^heap profile: |^\s*\d+\s+\d+ @( 0x[0-9a-fA-F]+)+\s*$/.test(line))) {
    throw new ProfileError(
      source,
      lines.findIndex((line) => line.trim()) + 1,
      'a legacy pprof text profile, which Perf Lab does not read: convert it with `go tool pprof -proto` (or `pprof -proto`) and open the .pb.gz',
    );
  }
  // Folded stacks: most lines are `frame;frame;... COUNT`. The head may end inside a line, and
  // one stack can be longer than the whole head: that line starts a stack and is judged whole.
  const cut = head.length >= detectionBytes && !text.endsWith('\n');
  const whole = (cut ? lines.slice(0, -1) : lines).filter((line) => line.trim() && !line.startsWith('#'));
  const folded = whole.filter((line) => /^\S(.*\S)? \d+(\.\d+)?$/.test(line));
  if (folded.length > 0 && folded.length * 2 >= whole.length) return 'folded';
  if (cut && whole.length === 0 && /^[^\s;][^;\n]*;/.test(lines[0] ?? '')) return 'folded';
  const firstLine = lines.findIndex((line) => line.trim()) + 1;
  throw new ProfileError(source, firstLine || 1, 'not a profile format Perf Lab reads (perf script text, folded stacks, callgrind, pprof, .cpuprofile, speedscope JSON, heaptrack, massif or DHAT)');
}

function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  return control > sample.length / 20;
}

interface TextImport {
  push(chunk: Uint8Array): void;
  /** Ends the input and returns the profile. */
  finish(): Profile;
}

/** A streaming importer for a line-based format, fed raw byte chunks. */
function textImport(format: ProfileFormat, source: string, options: LoadOptions): TextImport {
  if (format === 'folded' || format === 'perf-script') {
    const importer = format === 'folded' ? new FoldedImporter(source) : new PerfScriptImporter(source, { keepAddresses: options.keepAddresses });
    const splitter = new ByteLineSplitter(importer, source);
    return { push: (chunk) => splitter.push(chunk), finish: () => noteUnterminated(splitter.end(), splitter.unterminated, importer.finish()) };
  }
  let importer: LineSink & { finish(): Profile };
  if (format === 'callgrind') importer = new CallgrindImporter(source);
  else if (format === 'heaptrack') importer = new HeaptrackImporter(source);
  else if (format === 'massif') importer = new MassifImporter(source);
  else throw new Error(`${format} is not a text format`);
  const splitter = new LineSplitter(importer, source);
  return { push: (chunk) => splitter.push(chunk), finish: () => noteUnterminated(splitter.end(), splitter.unterminated, importer.finish()) };
}

/** A text profile whose last line has no line break was most likely cut off mid-write: say so. */
function noteUnterminated(lines: number, unterminated: boolean, profile: Profile): Profile {
  if (unterminated) profile.diagnostics.warnings.push(`line ${lines}: the file ends in the middle of a line (cut off?); its last record may be incomplete`);
  return profile;
}

/** Imports a whole document from JSON text. */
export function importJson(text: string, source: string): Profile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new ProfileError(source, line, `invalid JSON: ${message.replace(/^JSON\.parse: /, '')}`);
  }
  try {
    const profile = importDocument(document, source);
    // Each weight was a finite number; their sum must be one too (1e308 twice is not).
    profile.sampleTypes.forEach((type, index) => {
      if (!Number.isFinite(totalWeight(profile, index))) throw new ProfileError(source, undefined, `its ${type.name} add up to more than a number can hold`);
    });
    return profile;
  } catch (error) {
    if (error instanceof ShapeError) throw new ProfileError(source, undefined, error.message);
    throw error;
  }
}

function importDocument(document: unknown, source: string): Profile {
  const object = document as Record<string, unknown> | null;
  if (object && typeof object === 'object' && typeof object.$schema === 'string' && object.$schema.includes('speedscope')) return importSpeedscope(object, source);
  if (isHeapProfile(object)) return importHeapProfile(object, source);
  if (isDhat(object)) return importDhat(object, source);
  if (object && typeof object === 'object' && (Array.isArray(object.nodes) || typeof object.head === 'object')) return importCpuProfile(object, source);
  if (object && typeof object === 'object' && Array.isArray(object.profiles) && typeof object.shared === 'object') return importSpeedscope(object, source);
  if (isProcessedProfile(object)) return importProcessedProfile(object, source);
  throw new ProfileError(source, 1, 'JSON that is neither a speedscope profile, a .cpuprofile nor a Firefox Profiler processed profile (samply)');
}

/** An empty file: a profile with nothing in it (an empty folded or perf script file is valid). */
function emptyProfile(source: string): Profile {
  const builder = new ProfileBuilder('folded', source, [{ name: 'samples', unit: 'count' }]);
  builder.warn('the file is empty: no samples');
  return builder.build();
}

/** Imports a profile held in memory (tests, small inputs). */
export function importProfileBytes(bytes: Uint8Array, source: string, options: LoadOptions = {}): Profile {
  if (bytes.length === 0) return emptyProfile(source);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new ProfileError(source, undefined, `gzip data is damaged: ${(error as Error).message}`);
    }
  } else if (isZstd(bytes)) bytes = zstdDecompressSync(bytes, source);
  const format = detectFormat(bytes.subarray(0, detectionBytes), source);
  if (format === 'pprof') return importPprof(bytes, source);
  if (format === 'json') return importJson(new TextDecoder(encodingOf(bytes).encoding).decode(bytes), source);
  const importer = textImport(format, source, options);
  importer.push(bytes);
  return importer.finish();
}

/** Reads and imports a profile file, streaming text formats. */
export async function loadProfile(path: string, options: LoadOptions = {}): Promise<Profile> {
  if (options.symbols) {
    const profile = await readProfile(path, { ...options, keepAddresses: true });
    return profile.format === 'perf-script' || profile.format === 'processed-profile' ? symbolizeProfile(profile, options.symbols) : profile;
  }
  return readProfile(path, options);
}

async function readProfile(path: string, options: LoadOptions): Promise<Profile> {
  const maxDocumentBytes = options.maxDocumentBytes ?? defaultMaxDocumentBytes;
  const chunks = await openChunks(path);
  try {
    const first = await chunks.next();
    if (first.done) return emptyProfile(path);
    const format = detectFormat(first.value.subarray(0, detectionBytes), path);
    if (format === 'pprof' || format === 'json') {
      const parts: Uint8Array[] = [first.value];
      let size = first.value.length;
      const compressed = (await stat(path)).size;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        size += next.value.length;
        if (size > maxDocumentBytes) {
          throw new ProfileError(path, undefined, `a ${format === 'json' ? 'JSON' : 'pprof'} profile larger than ${Math.round(maxDocumentBytes / 1048576)} MB is not read (it must be read whole)`);
        }
        // A few hundred KB of gzip that inflate to hundreds of MB of repeated samples would take
        // minutes and gigabytes to build: real profiles compress 5-20 fold.
        if (size > bombBytes && size / compressed > bombRatio) {
          throw new ProfileError(
            path,
            undefined,
            `gzip data that expands more than ${bombRatio}-fold (${(compressed / 1024).toFixed(0)} KB to over ${Math.round(size / 1048576)} MB) is not read: not a profile a tool wrote`,
          );
        }
        parts.push(next.value);
      }
      const bytes = Buffer.concat(parts);
      if (format === 'pprof') return importPprof(bytes, path);
      return importJson(new TextDecoder(encodingOf(bytes).encoding).decode(bytes), path);
    }
    const importer = textImport(format, path, options);
    importer.push(first.value);
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) importer.push(next.value);
    return importer.finish();
  } finally {
    await chunks.return?.(undefined);
  }
}

/** The file's bytes in chunks, gunzipped or zstd-decompressed when it starts with their magic number. */
async function openChunks(path: string): Promise<AsyncIterator<Uint8Array>> {
  const magic = Buffer.alloc(4);
  try {
    // A FIFO or a device would be read for ever: profiles are regular files.
    if (!(await stat(path)).isFile()) throw new ProfileError(path, undefined, 'not a regular file (a device, FIFO or folder): not read');
    const handle = await open(path, 'r');
    try {
      await handle.read(magic, 0, 4, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ProfileError) throw error;
    throw new ProfileError(path, undefined, (error as Error).message);
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const gzipped = magic[0] === 0x1f && magic[1] === 0x8b;
  const zstd = isZstd(magic);
  const stream = gzipped ? raw.pipe(createGunzip()) : zstd ? zstdStream(raw, path) : raw;
  if (gzipped || zstd) raw.on('error', (error) => stream.destroy(error));
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    next: async () => {
      try {
        return await iterator.next();
      } catch (error) {
        const message = (error as Error).message;
        throw new ProfileError(path, undefined, gzipped ? `gzip data is damaged: ${message}` : zstd ? `zstd data is damaged: ${message}` : message);
      }
    },
    return: async () => {
      raw.destroy();
      stream.destroy();
      return { done: true, value: undefined };
    },
  };
}

/** zstd's magic number (heaptrack writes .zst files). */
function isZstd(bytes: Uint8Array): boolean {
  return bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd;
}

/** Node's own zstd (22.15 and later), else undefined. */
const nodeZstd = zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream; zstdDecompressSync?: (bytes: Uint8Array) => Buffer };
const noZstd = 'a zstd-compressed file (heaptrack writes these): reading it needs Node 22.15 or later, or the zstd program (Debian: zstd)';

/** A zstd file decompressed as a stream: by Node where it can, else by the zstd program (stopped when reading stops). */
function zstdStream(raw: Readable, path: string): Readable {
  if (nodeZstd.createZstdDecompress) return raw.pipe(nodeZstd.createZstdDecompress()) as unknown as Readable;
  const child = spawn('zstd', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = new PassThrough();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('error', (error: NodeJS.ErrnoException) => output.destroy(new ProfileError(path, undefined, error.code === 'ENOENT' ? noZstd : error.message)));
  // The end only once zstd said the data was whole: a damaged file is an error, not a short profile.
  child.stdout.pipe(output, { end: false });
  child.on('close', (code) => (code === 0 ? output.end() : output.destroy(new Error(stderr.trim() || `zstd exited with ${code}`))));
  child.stdin.on('error', () => undefined); // zstd stopped reading: its exit says why
  raw.pipe(child.stdin);
  output.on('close', () => child.kill());
  return output;
}

function zstdDecompressSync(bytes: Uint8Array, source: string): Uint8Array {
  try {
    if (nodeZstd.zstdDecompressSync) return nodeZstd.zstdDecompressSync(bytes);
  } catch (error) {
    throw new ProfileError(source, undefined, `zstd data is damaged: ${(error as Error).message}`);
  }
  const run = spawnSync('zstd', ['-dc'], { input: bytes, maxBuffer: defaultMaxDocumentBytes });
  if (run.error) throw new ProfileError(source, undefined, (run.error as NodeJS.ErrnoException).code === 'ENOENT' ? noZstd : run.error.message);
  if (run.status !== 0) throw new ProfileError(source, undefined, `zstd data is damaged: ${run.stderr.toString().trim()}`);
  return run.stdout;
}
