/**
 * pprof's profile.proto (Go, gperftools, perf_to_profile, ...), gzip already removed by the
 * loader. Decoded directly: a Location with several Line entries is a call frame with functions
 * inlined into it (the first entry is the innermost).
 */
import { ProfileError } from '../errors';
import { Profile, ProfileBuilder } from '../model';

class Reader {
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    private readonly source: string,
    readonly end = bytes.length,
  ) {}

  /** A varint as a number; ten-byte ones (int64 of 2^63 and more) as the negative int64 they encode. */
  varint(): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (;;) {
      if (this.pos >= this.end) throw new ProfileError(this.source, undefined, `truncated protobuf at byte ${this.pos}`);
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return shift >= 63 ? this.signed64(start) : result;
      shift += 7;
      if (shift > 63) throw new ProfileError(this.source, undefined, `malformed varint at byte ${this.pos}`);
    }
  }

  /** The varint at `start` read exactly as int64 (floating point would round 2^64 - 1 to 2^64). */
  private signed64(start: number): number {
    let value = 0n;
    for (let i = this.pos - 1; i >= start; i--) value = (value << 7n) | BigInt(this.bytes[i]! & 0x7f);
    return Number(BigInt.asIntN(64, value));
  }

  /** Reads the next field: its number, wire type, and a reader or value. */
  field(): { number: number; wire: number } {
    const key = this.varint();
    return { number: Math.floor(key / 8), wire: key & 7 };
  }

  sub(): Reader {
    const length = this.varint();
    if (this.pos + length > this.end) throw new ProfileError(this.source, undefined, `truncated protobuf field at byte ${this.pos}`);
    const reader = new Reader(this.bytes, this.source, this.pos + length);
    reader.pos = this.pos;
    this.pos += length;
    return reader;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.pos = this.sub().end;
    else if (wire === 5) this.pos += 4;
    else throw new ProfileError(this.source, undefined, `unsupported protobuf wire type ${wire} at byte ${this.pos}`);
    if (this.pos > this.end) throw new ProfileError(this.source, undefined, 'truncated protobuf');
  }

  /** Repeated integers, packed or not. */
  integers(wire: number, into: number[]): void {
    if (wire === 2) {
      const packed = this.sub();
      while (packed.pos < packed.end) into.push(packed.varint());
    } else {
      into.push(this.varint());
    }
  }

  done(): boolean {
    return this.pos >= this.end;
  }
}

export interface Line {
  functionId: number;
  line: number;
  column: number;
}

/** The parts of profile.proto Perf Lab reads, as decoded: string-table indices unresolved. */
export interface DecodedPprof {
  sampleTypes: { type: number; unit: number }[];
  samples: { locations: number[]; values: number[] }[];
  locations: Map<number, { address: number; lines: Line[] }>;
  functions: Map<number, { name: number; systemName: number; filename: number; startLine: number }>;
  strings: string[];
  /** The string index of the default sample type's name; -1 when unset. */
  defaultSampleType: number;
}

/** Decodes and reads a pprof profile. */
export function importPprof(bytes: Uint8Array, source: string): Profile {
  return buildPprofProfile(decodePprof(bytes, source), source);
}

/**
 * Decodes profile.proto. Hand-written rather than a library's: `npm run bench` measures it
 * against pprof-format and protobufjs (decoding and building the same model): they took 1.3-1.4x and
 * 1.4-1.6x as long on a 15 MB profile, and pprof-format reads a truncated profile without an error.
 */
export function decodePprof(bytes: Uint8Array, source: string): DecodedPprof {
  const reader = new Reader(bytes, source);
  const sampleTypes: DecodedPprof['sampleTypes'] = [];
  const samples: DecodedPprof['samples'] = [];
  const locations: DecodedPprof['locations'] = new Map();
  const functions: DecodedPprof['functions'] = new Map();
  const strings: string[] = [];
  let defaultSampleType = -1;
  const decoder = new TextDecoder();

  while (!reader.done()) {
    const { number, wire } = reader.field();
    if (number === 1 && wire === 2) {
      const r = reader.sub();
      const valueType = { type: 0, unit: 0 };
      while (!r.done()) {
        const f = r.field();
        if (f.number === 1 && f.wire === 0) valueType.type = r.varint();
        else if (f.number === 2 && f.wire === 0) valueType.unit = r.varint();
        else r.skip(f.wire);
      }
      sampleTypes.push(valueType);
    } else if (number === 2 && wire === 2) {
      const r = reader.sub();
      const sample = { locations: [] as number[], values: [] as number[] };
      while (!r.done()) {
        const f = r.field();
        if (f.number === 1) r.integers(f.wire, sample.locations);
        else if (f.number === 2) r.integers(f.wire, sample.values);
        else r.skip(f.wire);
      }
      samples.push(sample);
    } else if (number === 4 && wire === 2) {
      const r = reader.sub();
      let id = 0;
      let address = 0;
      const lines: Line[] = [];
      while (!r.done()) {
        const f = r.field();
        if (f.number === 1 && f.wire === 0) id = r.varint();
        else if (f.number === 3 && f.wire === 0) address = r.varint();
        else if (f.number === 4 && f.wire === 2) {
          const lr = r.sub();
          const line: Line = { functionId: 0, line: 0, column: 0 };
          while (!lr.done()) {
            const lf = lr.field();
            if (lf.number === 1 && lf.wire === 0) line.functionId = lr.varint();
            else if (lf.number === 2 && lf.wire === 0) line.line = lr.varint();
            else if (lf.number === 3 && lf.wire === 0) line.column = lr.varint();
            else lr.skip(lf.wire);
          }
          lines.push(line);
        } else r.skip(f.wire);
      }
      locations.set(id, { address, lines });
    } else if (number === 5 && wire === 2) {
      const r = reader.sub();
      const fn = { id: 0, name: 0, systemName: 0, filename: 0, startLine: 0 };
      while (!r.done()) {
        const f = r.field();
        if (f.wire !== 0) r.skip(f.wire);
        else if (f.number === 1) fn.id = r.varint();
        else if (f.number === 2) fn.name = r.varint();
        else if (f.number === 3) fn.systemName = r.varint();
        else if (f.number === 4) fn.filename = r.varint();
        else if (f.number === 5) fn.startLine = r.varint();
        else r.varint();
      }
      functions.set(fn.id, fn);
    } else if (number === 6 && wire === 2) {
      const r = reader.sub();
      strings.push(decoder.decode(bytes.subarray(r.pos, r.end)));
    } else if (number === 14 && wire === 0) {
      defaultSampleType = reader.varint();
    } else {
      reader.skip(wire);
    }
  }
  return { sampleTypes, samples, locations, functions, strings, defaultSampleType };
}

/** A decoded pprof profile as Perf Lab's model: a Location with several lines is a call frame with inlined functions. */
export function buildPprofProfile(decoded: DecodedPprof, source: string): Profile {
  const { sampleTypes, samples, locations, functions, strings, defaultSampleType } = decoded;
  if (strings[0] !== '' && strings.length > 0) throw new ProfileError(source, undefined, 'not a pprof profile (string table must start with "")');
  if (!sampleTypes.length) throw new ProfileError(source, undefined, 'not a pprof profile (no sample types)');

  const text = (index: number) => strings[index] ?? '';
  const b = new ProfileBuilder(
    'pprof',
    source,
    sampleTypes.map((type) => ({ name: text(type.type) || 'samples', unit: text(type.unit) || 'count' })),
  );
  // pprof's convention: the named default sample type, else the last one.
  const named = defaultSampleType > 0 ? sampleTypes.findIndex((type) => type.type === defaultSampleType) : -1;
  b.defaultSampleType = named >= 0 ? named : sampleTypes.length - 1;

  const framesOf = new Map<number, number[]>();
  const locationFrames = (id: number): number[] => {
    let frames = framesOf.get(id);
    if (frames) return frames;
    const location = locations.get(id);
    if (!location) throw new ProfileError(source, undefined, `sample refers to location ${id}, which does not exist`);
    frames = [];
    // Outermost (the real call frame) first, inlined functions after it.
    for (let i = location.lines.length - 1; i >= 0; i--) {
      const line = location.lines[i]!;
      const fn = functions.get(line.functionId);
      const name = fn ? text(fn.name) || text(fn.systemName) : `0x${location.address.toString(16)}`;
      const func = b.functionId(name, fn ? text(fn.filename) || undefined : undefined, undefined, fn?.startLine ? { startLine: fn.startLine } : undefined);
      frames.push(b.frameId(func, line.line || undefined, line.column || undefined, location.lines.length - 1 - i || undefined));
    }
    if (!location.lines.length) frames.push(b.frameId(b.functionId(`0x${location.address.toString(16)}`)));
    framesOf.set(id, frames);
    return frames;
  };

  samples.forEach((sample, index) => {
    // One value per sample type: more would be weights of types that do not exist.
    if (sample.values.length > sampleTypes.length) {
      throw new ProfileError(source, undefined, `sample ${index + 1} has ${sample.values.length} values for ${sampleTypes.length} sample types`);
    }
    let node = -1;
    for (let i = sample.locations.length - 1; i >= 0; i--) for (const frame of locationFrames(sample.locations[i]!)) node = b.child(node, frame);
    sample.values.forEach((value, type) => b.addWeight(node, type, value));
    b.samples++;
  });
  return b.build();
}
