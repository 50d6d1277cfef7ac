/**
 * `npm run bench` (pprof part): Perf Lab's own profile.proto decoder against two maintained ones,
 * DataDog's pprof-format and protobufjs (with profile.proto's schema), on a 300,000-sample
 * profile written by pprof-format's encoder. Each decoder's output goes through the same
 * model-building step, so the figures compare decoding, and the three models must agree. It also
 * says which decoders reject a truncated profile (Perf Lab must: a cut file is an error, not a
 * smaller profile).
 */
import * as pprofFormat from 'pprof-format';
import * as protobuf from 'protobufjs/light';
import { buildPprofProfile, decodePprof, DecodedPprof } from '../../src/core/profiles/importers/pprof';
import { totalWeight } from '../../src/core/profiles';
import type { Profile } from '../../src/core/profiles/model';

type Report = (what: string, value: string, target: string) => void;

/** A Go-like CPU profile: 5,000 functions, 20,000 locations (every fifth with an inlined frame), stacks 5-30 deep. */
function syntheticProfile(): Uint8Array {
  const { Function, Line, Location, Profile, Sample, StringTable, ValueType } = pprofFormat;
  const strings = new StringTable();
  const functions = Array.from(
    { length: 5000 },
    (_, i) => new Function({ id: i + 1, name: strings.dedup(`pkg.func${i + 1}`), systemName: strings.dedup(`pkg.func${i + 1}`), filename: strings.dedup(`src/file${i % 300}.go`), startLine: i + 1 }),
  );
  const locations = Array.from({ length: 20_000 }, (_, index) => {
    const i = index + 1;
    const inlined = i % 5 === 0 ? [new Line({ functionId: 1 + ((i * 7) % 5000), line: 3 })] : [];
    return new Location({ id: i, address: 0x400000 + i * 16, line: [...inlined, new Line({ functionId: 1 + (i % 5000), line: 10 + (i % 400) })] });
  });
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const samples = Array.from(
    { length: 300_000 },
    () => new Sample({ locationId: Array.from({ length: 5 + Math.floor(random() * 25) }, () => 1 + Math.floor(random() * 20_000)), value: [1, 10_000_000] }),
  );
  const sampleType = [new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') }), new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') })];
  return new Profile({ sampleType, sample: samples, location: locations, function: functions, stringTable: strings }).encode();
}

const toNumber = (value: number | bigint | { toNumber(): number }) => (typeof value === 'object' ? value.toNumber() : Number(value));

type Numeric = number | bigint | { toNumber(): number };
/** A profile as both libraries decode it: profile.proto's field names, 64-bit numbers as their own types. */
interface LibraryProfile {
  sampleType: { type: Numeric; unit: Numeric }[];
  sample: { locationId: Numeric[]; value: Numeric[] }[];
  location: { id: Numeric; address: Numeric; line: { functionId: Numeric; line: Numeric; column: Numeric }[] }[];
  function: { id: Numeric; name: Numeric; systemName: Numeric; filename: Numeric; startLine: Numeric }[];
  defaultSampleType: Numeric;
}

/** A library's decoded profile in the shape Perf Lab's builder reads. */
function decodedFrom(profile: LibraryProfile, strings: string[]): DecodedPprof {
  return {
    sampleTypes: profile.sampleType.map((type) => ({ type: toNumber(type.type), unit: toNumber(type.unit) })),
    samples: profile.sample.map((sample) => ({ locations: sample.locationId.map(toNumber), values: sample.value.map(toNumber) })),
    locations: new Map(
      profile.location.map((location) => [
        toNumber(location.id),
        { address: toNumber(location.address), lines: location.line.map((line) => ({ functionId: toNumber(line.functionId), line: toNumber(line.line), column: toNumber(line.column) })) },
      ]),
    ),
    functions: new Map(
      profile.function.map((fn) => [toNumber(fn.id), { name: toNumber(fn.name), systemName: toNumber(fn.systemName), filename: toNumber(fn.filename), startLine: toNumber(fn.startLine) }]),
    ),
    strings,
    defaultSampleType: toNumber(profile.defaultSampleType) || -1,
  };
}

function fromPprofFormat(bytes: Uint8Array): DecodedPprof {
  const profile = pprofFormat.Profile.decode(bytes);
  return decodedFrom(profile, profile.stringTable.strings);
}

/** profile.proto's fields that Perf Lab reads, as a protobufjs schema. */
const profileType = protobuf.Root.fromJSON({
  nested: {
    Profile: {
      fields: {
        sampleType: { rule: 'repeated', type: 'ValueType', id: 1 },
        sample: { rule: 'repeated', type: 'Sample', id: 2 },
        location: { rule: 'repeated', type: 'Location', id: 4 },
        function: { rule: 'repeated', type: 'Function', id: 5 },
        stringTable: { rule: 'repeated', type: 'string', id: 6 },
        defaultSampleType: { type: 'int64', id: 14 },
      },
    },
    ValueType: { fields: { type: { type: 'int64', id: 1 }, unit: { type: 'int64', id: 2 } } },
    Sample: { fields: { locationId: { rule: 'repeated', type: 'uint64', id: 1 }, value: { rule: 'repeated', type: 'int64', id: 2 } } },
    Location: { fields: { id: { type: 'uint64', id: 1 }, address: { type: 'uint64', id: 3 }, line: { rule: 'repeated', type: 'Line', id: 4 } } },
    Line: { fields: { functionId: { type: 'uint64', id: 1 }, line: { type: 'int64', id: 2 }, column: { type: 'int64', id: 3 } } },
    Function: {
      fields: { id: { type: 'uint64', id: 1 }, name: { type: 'int64', id: 2 }, systemName: { type: 'int64', id: 3 }, filename: { type: 'int64', id: 4 }, startLine: { type: 'int64', id: 5 } },
    },
  },
}).lookupType('Profile');

function fromProtobufjs(bytes: Uint8Array): DecodedPprof {
  const profile = profileType.decode(bytes) as unknown as LibraryProfile & { stringTable: string[] };
  return decodedFrom(profile, profile.stringTable);
}

function medianMs(run: () => unknown, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** Whether a decoder throws on the first 60% of a profile. */
function rejectsTruncated(decode: (bytes: Uint8Array) => unknown, bytes: Uint8Array): boolean {
  try {
    decode(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    return false;
  } catch {
    return true;
  }
}

export function runPprofBench(report: Report): void {
  const bytes = syntheticProfile();
  const decoders: [string, (bytes: Uint8Array) => DecodedPprof][] = [
    ['Perf Lab', (data) => decodePprof(data, 'bench.pb')],
    ['pprof-format 2.3', fromPprofFormat],
    ['protobufjs 8', fromProtobufjs],
  ];
  const summary = (profile: Profile) => `${profile.samples} samples, ${totalWeight(profile)} weight, ${profile.functions.length} functions, ${profile.stackParent.length} stacks`;
  const expected = summary(buildPprofProfile(decoders[0]![1](bytes), 'bench.pb'));
  let own = 0;
  for (const [name, decode] of decoders) {
    const built = summary(buildPprofProfile(decode(bytes), 'bench.pb'));
    if (built !== expected) throw new Error(`${name} decoded a different profile: ${built}, not ${expected}`);
    const ms = medianMs(() => buildPprofProfile(decode(bytes), 'bench.pb'));
    own ||= ms;
    report(
      `pprof ${(bytes.length / 1e6).toFixed(1)} MB, ${name}: decode + build, median of 5`,
      `${ms.toFixed(0)} ms`,
      name === 'Perf Lab' ? 'the fastest that rejects a cut file' : `${(ms / own).toFixed(2)}x Perf Lab's; a cut file ${rejectsTruncated(decode, bytes) ? 'rejected' : 'READ WITHOUT ERROR'}`,
    );
  }
}
