/** `perf-lab profile summary|fold|diff`: the profile model from the command line. */
import { diffProfiles, functionStats, matchingSampleType, foldedStacks, loadProfile, LoadOptions, Profile, sampleTypeLabel, SymbolCache, totalWeight } from '../core/profiles';
import type { CliIo } from './cli';
import { CliUsageError, commandArgs } from './args';

export const profileUsage = `perf-lab profile summary FILE [--top N] [--sample-type NAME] [--json] [--no-symbolize]
perf-lab profile fold FILE [--sample-type NAME] [--no-symbolize]
perf-lab profile diff BEFORE AFTER [--top N] [--sample-type NAME] [--normalize|--no-normalize] [--json] [--no-symbolize]`;

const profileOptions = {
  top: { type: 'string' },
  'sample-type': { type: 'string' },
  json: { type: 'boolean' },
  'no-symbolize': { type: 'boolean' },
  normalize: { type: 'boolean' },
  'no-normalize': { type: 'boolean' },
} as const;
type ProfileArgs = ReturnType<typeof commandArgs<typeof profileOptions>>;

export async function runProfileCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  // Arguments are checked before any file is read.
  const parsed = commandArgs(rest, profileOptions);
  // perf script without source lines gets them from addr2line unless told not to.
  const symbols = parsed.values['no-symbolize'] ? undefined : new SymbolCache();
  try {
    return await profileCommand(subcommand, parsed, io, symbols ? { symbols } : {});
  } finally {
    symbols?.dispose();
  }
}

async function profileCommand(subcommand: string | undefined, { values, positionals: files }: ProfileArgs, io: CliIo, load: LoadOptions): Promise<number> {
  const top = topOf(values.top, 20);
  switch (subcommand) {
    case 'summary': {
      if (files.length !== 1) throw new CliUsageError('profile summary needs one FILE');
      const profile = await loadProfile(files[0]!, load);
      const summary = summarize(profile, sampleTypeOf(profile, values['sample-type']), top);
      io.out(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary, profile));
      return 0;
    }
    case 'fold': {
      if (files.length !== 1) throw new CliUsageError('profile fold needs one FILE');
      const profile = await loadProfile(files[0]!, load);
      const stacks = foldedStacks(profile, sampleTypeOf(profile, values['sample-type']));
      const lines: string[] = [];
      for (const [stack, weight] of [...stacks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) lines.push(`${stack} ${formatNumber(weight)}`);
      io.out(lines.length ? `${lines.join('\n')}\n` : '');
      return 0;
    }
    case 'diff': {
      if (files.length !== 2) throw new CliUsageError('profile diff needs BEFORE and AFTER');
      const [before, after] = await Promise.all(files.map((file) => loadProfile(file, load)));
      // Times are scaled to the same total by default, heap measures compared as they are.
      const normalize = values.normalize ? true : values['no-normalize'] ? false : undefined;
      const sampleTypeB = sampleTypeOf(after!, values['sample-type']);
      const diff = diffProfiles(before!, after!, {
        sampleTypeA: values['sample-type'] ? sampleTypeOf(before!, values['sample-type']) : matchingSampleType(before!, after!, sampleTypeB),
        sampleTypeB,
        ...(normalize === undefined ? {} : { normalize }),
      });
      const functions = diff.functions.slice(0, top).map((f) => ({
        name: f.name,
        file: f.file ?? null,
        selfBefore: f.selfA,
        selfAfter: f.selfB,
        totalBefore: f.totalA,
        totalAfter: f.totalB,
        selfDelta: f.selfDelta,
        totalDelta: f.totalDelta,
      }));
      const result = { totalBefore: diff.totalA, totalAfter: diff.totalB, normalized: diff.normalized, scale: diff.scale, functions };
      if (values.json) {
        io.out(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        const rows = functions.map((f) => [signed(f.selfDelta), signed(f.totalDelta), formatNumber(f.selfBefore), formatNumber(f.selfAfter), f.name]);
        io.out(
          `before ${formatNumber(diff.totalA)}, after ${formatNumber(diff.totalB)}${diff.normalized ? `, before scaled by ${diff.scale.toFixed(4)}` : ''}\n` +
            table(['self Δ', 'total Δ', 'self before', 'self after', 'function'], rows),
        );
      }
      return 0;
    }
    default:
      throw new CliUsageError(subcommand ? `unknown profile command '${subcommand}'` : 'profile needs a command');
  }
}

export interface ProfileSummary {
  format: string;
  sampleType: string;
  totalWeight: number;
  samples: number;
  functions: { name: string; file: string | null; line: number | null; self: number; total: number; selfPct: number; totalPct: number }[];
}

export function summarize(profile: Profile, sampleType: number, top: number): ProfileSummary {
  const total = totalWeight(profile, sampleType);
  const pct = (value: number) => (total > 0 ? Math.round((value / total) * 10000) / 100 : 0);
  return {
    format: profile.format,
    sampleType: sampleTypeLabel(profile.sampleTypes[sampleType]!),
    totalWeight: total,
    samples: profile.samples,
    functions: functionStats(profile, sampleType)
      .slice(0, top)
      .map((stat) => ({
        name: stat.name,
        file: stat.file ?? null,
        line: stat.line ?? null,
        self: stat.self,
        total: stat.total,
        selfPct: pct(stat.self),
        totalPct: pct(stat.total),
      })),
  };
}

function formatSummary(summary: ProfileSummary, profile: Profile): string {
  const rows = summary.functions.map((f) => [`${f.selfPct.toFixed(2)}%`, `${f.totalPct.toFixed(2)}%`, formatNumber(f.self), f.name, f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : '']);
  const skipped = profile.diagnostics.skippedLines ? `, ${profile.diagnostics.skippedLines} unreadable lines skipped` : '';
  return (
    `${summary.format}: ${formatNumber(summary.samples)} samples, total ${formatNumber(summary.totalWeight)} ${summary.sampleType}${skipped}\n` +
    table(['self', 'total', summary.sampleType, 'function', 'location'], rows)
  );
}

export function sampleTypeOf(profile: Profile, name: string | undefined): number {
  if (name === undefined) return profile.defaultSampleType;
  const index = profile.sampleTypes.findIndex((type) => type.name === name);
  if (index < 0) throw new CliUsageError(`no sample type '${name}' (this profile has: ${profile.sampleTypes.map((type) => type.name).join(', ')})`);
  return index;
}

function topOf(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const top = Number(value);
  if (!Number.isInteger(top) || top <= 0) throw new CliUsageError(`--top needs a positive whole number, not '${value}'`);
  return top;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${formatNumber(value)}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const render = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[render(header), ...rows.map(render)].join('\n')}\n`;
}
