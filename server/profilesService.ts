/**
 * Loaded profiles, kept by the server: the active one annotates source files (line heat,
 * CodeLenses on hot functions, hovers) and feeds the flame-graph panel a tree pruned to its width.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { CodeLens, Diagnostic, DiagnosticSeverity, Hover, MarkupKind, Position, Range, uinteger } from 'vscode-languageserver/node';
import { formatBytes } from '../src/core/format';
import { findDefinition } from '../src/core/ideas';
import {
  addFlameDiff,
  callersAndCallees,
  flameTreeResult,
  FunctionStat,
  functionStats,
  innermostOwnWeights,
  lineOwner,
  lineStats,
  loadProfile,
  buildSystemsIn,
  mapProfilePaths,
  MissingSources,
  missingHotSources,
  Profile,
  sampleTypeLabel,
  SymbolCache,
  SymbolizationReport,
  symbolizationReport,
  totalWeight,
} from '../src/core/profiles';
import { lensCommand } from '../src/protocol/lsp';
import type { FlameTreeParams, FlameTreeResult, HottestFunction, LineHeatResult, ProfileSummaryItem } from '../src/protocol/lsp';
import { toPath, toUri, WorkspaceFolders } from './folders';
import { currentText, DocumentSource } from './ideasService';

interface HotPathSettings {
  /** Functions and lines at or above this percent of the total are hot. */
  threshold: number;
  /** Which weight colours the heat and decides hotness. */
  metric: 'self' | 'total';
  /** Information diagnostics on hot lines (off by default). */
  diagnostics: boolean;
}

interface LoadedProfile {
  id: string;
  path: string;
  profile: Profile;
  recordedAt: number;
  total: number;
  functions: FunctionStat[];
  missingSources?: MissingSources;
  symbolization?: SymbolizationReport;
  hottest?: HottestFunction;
}

/** Where ideas that target a function come from (the ideas service). */
export interface IdeasAtLine {
  ideasAt(file: string, line: number): { title: string; status?: string }[];
}

export class ProfilesService {
  private readonly profiles = new Map<string, LoadedProfile>();
  private activeId: string | undefined;
  private readonly symbols = new SymbolCache();
  /** perfLab.profiles.prefixMap: the workspace's, applied to every profile loaded. */
  private prefixMap: Record<string, string> = {};

  constructor(
    private readonly folders: WorkspaceFolders,
    private readonly source: DocumentSource,
    private readonly ideas: IdeasAtLine,
  ) {}

  setPrefixMap(prefixMap: Record<string, string>): void {
    this.prefixMap = prefixMap;
  }

  /** perfLab.hotPaths of the folder holding `file`: which functions and lines are hot there. */
  private hotPathsOf(file: string): HotPathSettings {
    const defaults: HotPathSettings = { threshold: 1, metric: 'total', diagnostics: false };
    const set = Object.entries(this.folders.of(file).hotPaths).filter(([, value]) => value !== undefined && value !== null);
    return { ...defaults, ...Object.fromEntries(set) };
  }

  private roots(): string[] {
    return this.folders.roots();
  }

  dispose(): void {
    this.symbols.dispose();
  }

  async load(path: string): Promise<ProfileSummaryItem> {
    const raw = await loadProfile(path, { symbols: this.symbols });
    const profile = mapProfilePaths(raw, { workspaceRoots: this.roots(), prefixMap: Object.entries(this.prefixMap) });
    const loaded: LoadedProfile = {
      id: path,
      path,
      profile,
      recordedAt: statSync(path).mtimeMs,
      total: totalWeight(profile),
      functions: functionStats(profile),
    };
    const missing = missingHotSources(profile);
    if (missing) loaded.missingSources = missing;
    const symbolization = symbolizationReport(profile, [...new Set(this.roots().flatMap(buildSystemsIn))]);
    if (symbolization) loaded.symbolization = symbolization;
    const hottest = this.hottest(loaded);
    if (hottest) loaded.hottest = hottest;
    this.profiles.set(loaded.id, loaded);
    this.activeId = loaded.id;
    return this.summary(loaded);
  }

  list(): ProfileSummaryItem[] {
    return [...this.profiles.values()].map((loaded) => this.summary(loaded));
  }

  setActive(id: string): void {
    if (!this.profiles.has(id)) throw new Error(`no loaded profile ${id}`);
    this.activeId = id;
  }

  get active(): LoadedProfile | undefined {
    return this.activeId ? this.profiles.get(this.activeId) : undefined;
  }

  get count(): number {
    return this.profiles.size;
  }

  lineHeat(uri: string): LineHeatResult {
    const active = this.active;
    if (!active) return { stale: false, lines: [] };
    const file = toPath(uri);
    const percent = (value: number) => (active.total > 0 ? (100 * value) / active.total : 0);
    return {
      profileId: active.id,
      sampleType: sampleTypeLabel(active.profile.sampleTypes[active.profile.defaultSampleType]!),
      stale: this.isStale(file, active),
      lines: lineStats(active.profile, file).map((stat) => ({
        line: stat.line - 1,
        self: stat.self,
        total: stat.total,
        selfPercent: percent(stat.self),
        totalPercent: percent(stat.total),
      })),
    };
  }

  /** Information diagnostics on the hot lines of a file, when the setting asks for them. */
  diagnostics(uri: string): Diagnostic[] {
    const active = this.active;
    const hot = this.hotPathsOf(toPath(uri));
    if (!active || !hot.diagnostics) return [];
    const heat = this.lineHeat(uri);
    const name = active.path.split('/').pop() ?? active.path;
    return heat.lines
      .filter((line) => (hot.metric === 'self' ? line.selfPercent : line.totalPercent) >= hot.threshold)
      .map((line) => ({
        range: Range.create(line.line, 0, line.line, uinteger.MAX_VALUE), // the whole line; the client clamps it
        severity: DiagnosticSeverity.Information,
        source: 'Perf Lab',
        code: 'hot-line',
        message: `Hot line: ${line.selfPercent.toFixed(1)}% self, ${line.totalPercent.toFixed(1)}% total in ${name}${heat.stale ? ' (the file changed after the profile)' : ''}`,
      }));
  }

  /** "12.4% self · 41.0% total · flame graph" (a heap profile: "allocates 95.1% of the peak (17.6 MB)") above each hot function of the file. */
  codeLenses(uri: string): CodeLens[] {
    const active = this.active;
    if (!active) return [];
    const file = toPath(uri);
    const text = this.textOf(file);
    const stale = this.isStale(file, active) ? ' · stale' : '';
    const type = active.profile.sampleTypes[active.profile.defaultSampleType]!;
    // A heap profile's own code holds no self bytes (the allocator does): say what it allocated.
    const figures = (stat: FunctionStat) =>
      type.unit !== 'bytes'
        ? `${this.percent(active, stat.self)} self · ${this.percent(active, stat.total)} total`
        : type.name === 'bytes at peak'
          ? `allocates ${this.percent(active, stat.total)} of the peak (${formatBytes(stat.total)})`
          : `${formatBytes(stat.total)} ${type.name} (${this.percent(active, stat.total)})`;
    return this.hotFunctions(active, file).map((stat) => {
      const line = this.definitionLine(stat, text);
      return {
        range: Range.create(line, 0, line, 0),
        command: lensCommand(`🔥 ${shortName(stat.name)}${stat.inlined ? ' (inlined)' : ''} · ${figures(stat)}${stale} · flame graph`, 'perfLab.showFlameGraph', {
          profileId: active.id,
          func: stat.func,
        }),
      };
    });
  }

  /** Cost of the line and of the function around it, callers, callees and the ideas that target it. */
  hover(uri: string, position: Position): Hover | null {
    const active = this.active;
    if (!active) return null;
    const file = toPath(uri);
    const text = this.textOf(file);
    const inFile = active.functions.filter((stat) => stat.file === file);
    // The function whose code this line is, from the frames sampled on it (a caller's own line
    // is not its inlined callee's); on a line with no samples, the closest definition above.
    const owner = lineOwner(active.profile, file, position.line + 1);
    const ownerStat = owner && inFile.find((stat) => stat.func === owner.func);
    const around = ownerStat
      ? { stat: ownerStat, line: this.definitionLine(ownerStat, text) }
      : inFile
          .map((stat) => ({ stat, line: this.definitionLine(stat, text) }))
          .filter((entry) => entry.line <= position.line)
          .sort((a, b) => b.line - a.line)[0];
    const lineStat = lineStats(active.profile, file).find((stat) => stat.line - 1 === position.line);
    if (!around && !lineStat) return null;
    const sampleType = sampleTypeLabel(active.profile.sampleTypes[active.profile.defaultSampleType]!);
    const parts: string[] = [];
    if (lineStat)
      parts.push(`**Line ${position.line + 1}**: ${this.percent(active, lineStat.self)} self · ${this.percent(active, lineStat.total)} total (${format(lineStat.self)} ${escapeMarkdown(sampleType)})`);
    if (around) {
      const { stat } = around;
      const inlined = (ownerStat && owner?.inlined) || stat.inlined ? ' (inlined)' : '';
      parts.push(
        `**${escapeMarkdown(stat.name)}**${inlined}: ${this.percent(active, stat.self)} self · ${this.percent(active, stat.total)} total · ${format(stat.total)} ${escapeMarkdown(sampleType)}`,
      );
      // The full signature (or mangled name) as the tool wrote it, where the name shown is shorter.
      const rawName = active.profile.functions[stat.func]?.rawName;
      if (rawName && rawName !== stat.name) parts.push(`\`${rawName.replace(/`/g, "'")}\``);
      const { callers, callees } = callersAndCallees(active.profile, stat.func);
      const list = (entries: { name: string; weight: number }[]) =>
        entries
          .slice(0, 3)
          .map((entry) => `${escapeMarkdown(entry.name)} (${this.percent(active, entry.weight)})`)
          .join(', ');
      if (callers.length) parts.push(`Called from: ${list(callers)}`);
      if (callees.length) parts.push(`Calls: ${list(callees)}`);
      const ideas = [...new Set(this.ideas.ideasAt(file, around.line + 1).map((idea) => `${escapeMarkdown(idea.title)}${idea.status ? ` (${escapeMarkdown(idea.status)})` : ''}`))];
      if (ideas.length) parts.push(`💡 ${ideas.join(' · ')}`);
    }
    if (this.isStale(file, active)) parts.push('_The file changed after this profile was recorded: lines may have moved._');
    parts.push(`_Profile: ${escapeMarkdown(active.path.split('/').pop() ?? active.path)}_`);
    return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: Range.create(position.line, 0, position.line, 0) };
  }

  flameTree(params: FlameTreeParams): FlameTreeResult {
    const loaded = params.profileId ? this.profiles.get(params.profileId) : this.active;
    if (!loaded) throw new Error('No profile is loaded: open or record one first.');
    const result = flameTreeResult(loaded.profile, loaded.id, loaded.path.split('/').pop() ?? loaded.path, {
      width: params.width,
      root: params.root ?? -1,
      ...(params.sampleType !== undefined ? { sampleType: params.sampleType } : {}),
    });
    if (params.compareTo) {
      const baseline = this.profiles.get(params.compareTo);
      if (!baseline) throw new Error(`The baseline profile ${params.compareTo} is not loaded.`);
      addFlameDiff(result, loaded.profile, baseline.profile, {
        baselineId: baseline.id,
        baselineTitle: baseline.path.split('/').pop() ?? baseline.path,
        root: params.root,
        normalize: params.normalize,
      });
    }
    return result;
  }

  functionSource(profileId: string, func: number): { uri: string; line: number } | null {
    const loaded = this.profiles.get(profileId);
    const stat = loaded?.functions.find((candidate) => candidate.func === func);
    const info = loaded?.profile.functions[func];
    if (!loaded || !info?.file || !existsSync(info.file)) return null;
    const line = stat ? this.definitionLine(stat, this.textOf(info.file)) : Math.max(0, (info.startLine ?? 1) - 1);
    return { uri: toUri(info.file), line };
  }

  private hotFunctions(active: LoadedProfile, file: string): FunctionStat[] {
    const hot = this.hotPathsOf(file);
    const threshold = (hot.threshold / 100) * active.total;
    return active.functions.filter((stat) => stat.file === file && !stat.external && (hot.metric === 'self' ? stat.self : stat.total) >= threshold);
  }

  /** 0-based line of a function's definition: found in the source, else its first sampled line. */
  private definitionLine(stat: FunctionStat, text: string | undefined): number {
    // Its lowest sampled line is inside it: the nearest definition above that one is its own.
    const found = text === undefined ? undefined : findDefinition(text, stat.name.replace(/<.*$/, '').replace(/\(.*$/, ''), stat.line);
    return Math.max(0, (found ?? stat.line ?? 1) - 1);
  }

  /**
   * The function of the workspace's own code (else of any code) with the most self time. When
   * the own code has no self weight (a memory profile: the allocator is the leaf), the own
   * function innermost on the stacks holding the most.
   */
  private hottest(loaded: LoadedProfile): HottestFunction | undefined {
    const bySelf = (a: FunctionStat, b: FunctionStat) => b.self - a.self;
    const isOwn = (stat: FunctionStat) => stat.file !== undefined && !stat.external;
    let own: FunctionStat | undefined = loaded.functions.filter((stat) => isOwn(stat) && stat.self > 0).sort(bySelf)[0];
    let ownWeight = own?.self ?? 0;
    if (!own) {
      const ownFuncs = new Set(loaded.functions.filter(isOwn).map((stat) => stat.func));
      const [func, weight] = [...innermostOwnWeights(loaded.profile, (candidate) => ownFuncs.has(candidate))].sort((a, b) => b[1] - a[1])[0] ?? [];
      own = loaded.functions.find((stat) => stat.func === func);
      ownWeight = weight ?? 0;
    }
    const stat = own ?? [...loaded.functions].sort(bySelf)[0];
    const weight = own ? ownWeight : (stat?.self ?? 0);
    if (!stat || weight <= 0 || loaded.total <= 0) return undefined;
    const selfPercent = (100 * weight) / loaded.total;
    if (!own || stat.file === undefined) return { name: stat.name, selfPercent };
    return { name: stat.name, selfPercent, uri: toUri(stat.file), line: this.definitionLine(stat, this.textOf(stat.file)) };
  }

  private percent(active: LoadedProfile, value: number): string {
    return `${active.total > 0 ? ((100 * value) / active.total).toFixed(1) : '0.0'}%`;
  }

  private textOf(file: string): string | undefined {
    return currentText(this.source, file);
  }

  /** Changed on disk after the recording, or edited in the editor since. */
  private isStale(file: string, loaded: LoadedProfile): boolean {
    try {
      if (statSync(file).mtimeMs > loaded.recordedAt) return true;
      const open = this.source.openText(toUri(file));
      return open !== undefined && open !== readFileSync(file, 'utf8');
    } catch {
      return false;
    }
  }

  private summary(loaded: LoadedProfile): ProfileSummaryItem {
    return {
      id: loaded.id,
      path: loaded.path,
      format: loaded.profile.format,
      sampleType: sampleTypeLabel(loaded.profile.sampleTypes[loaded.profile.defaultSampleType]!),
      totalWeight: loaded.total,
      samples: loaded.profile.samples,
      recordedAt: loaded.recordedAt,
      active: loaded.id === this.activeId,
      skippedLines: loaded.profile.diagnostics.skippedLines,
      ...(loaded.missingSources ? { missingSources: loaded.missingSources } : {}),
      ...(loaded.symbolization ? { symbolization: loaded.symbolization } : {}),
      ...(loaded.hottest ? { hottest: loaded.hottest } : {}),
    };
  }
}

function format(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
}

/** Markdown-escapes text from profiles (symbol names are user data, never markup). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (char) => (char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '&' ? '&amp;' : `\\${char}`));
}

/** A function's name as a lens shows it: `WordCounts::add` for `wordfreq::WordCounts::add<T>(...)`. */
function shortName(name: string): string {
  const plain = name.replace(/\(.*$/, '').replace(/<.*$/, '');
  return plain.split('::').slice(-2).join('::') || name;
}
