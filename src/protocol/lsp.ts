/**
 * Custom language-server messages, each declared once. Standard LSP features (code lenses,
 * hovers, diagnostics) need no declaration here.
 */
import { NotificationType0, RequestType, RequestType0, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { BenchKind } from '../core/bench/tools';
import type { MissingSources } from '../core/profiles/paths';
import type { SymbolizationReport } from '../core/profiles/symbolCheck';
import type { FlameTreeResult } from './webview';
import type { TargetStatus } from '../core/targets/evaluate';

/** What the server reports about itself and what it has loaded. */
export interface ServerInfo {
  name: string;
  version: string;
  /** The server's process id: the client shows it, the tests kill it to prove restarts. */
  pid: number;
  /** Node.js version the server runs on. */
  node: string;
  /** When this server process started (ISO 8601). */
  startedAt: string;
  uptimeMs: number;
  /** Workspace folder URIs from `initialize`. */
  workspaceFolders: string[];
  /** Documents the client has opened with the server (markdown, Rust, C, C++). */
  openDocuments: string[];
  /** Idea documents (with at least one idea) and ideas loaded. */
  ideas: { documents: number; ideas: number };
  /** Profiles loaded. */
  profiles: number;
}

/** Client → server: the server's version and loaded state. */
export namespace ServerInfoRequest {
  export const method = 'perfLab/serverInfo';
  export const type = new RequestType0<ServerInfo, void>(method);
}

/** An idea as the client shows it (see src/core/ideas for the full model). */
export interface IdeaItem {
  id: string;
  kind: 'table-row' | 'task';
  title: string;
  /** 0-based line in its document. */
  line: number;
  section: string[];
  status?: string;
  impact?: string;
  measured?: string;
  notes?: string;
  /** A table row whose table has no Status column (set it only with `addColumn`). */
  noStatusColumn?: true;
  /** A table row whose table has no Improvements / Measured column. */
  noMeasuredColumn?: true;
  locations: IdeaLocationItem[];
  /** The idea's markdown source, for "Copy as Markdown". */
  markdown: string;
}

export interface IdeaLocationItem {
  text: string;
  /** File URI when resolved. */
  uri?: string;
  /** 0-based line when resolved. */
  line?: number;
  resolved: boolean;
}

export interface IdeaDocumentItem {
  uri: string;
  /** Workspace-relative path. */
  path: string;
  title: string;
  ideas: IdeaItem[];
  /** Statuses this document accepts: its legend, the defaults and the experiment verdicts. */
  statuses: string[];
}

/** Client → server: every idea document of the workspace with its ideas. */
export namespace IdeasRequest {
  export const method = 'perfLab/ideas';
  export const type = new RequestType0<IdeaDocumentItem[], void>(method);
}

export interface IdeaEditParams {
  uri: string;
  ideaId: string;
  status?: string;
  measured?: string;
  /** When the idea's table lacks the column: add it (the user agreed) instead of failing. */
  addColumn?: boolean;
}

/** Client → server: the edit that sets an idea's status or measured result (computed on the
 *  document as the editor has it, unsaved changes included); the client applies it. */
export namespace IdeaEditRequest {
  export const method = 'perfLab/ideaEdit';
  export const type = new RequestType<IdeaEditParams, WorkspaceEdit, void>(method);
}

export interface NewIdeaParams {
  uri: string;
  section: string[];
  title: string;
}

/** Client → server: the edit that adds an idea after the last one of a section. */
export namespace NewIdeaRequest {
  export const method = 'perfLab/newIdea';
  export const type = new RequestType<NewIdeaParams, WorkspaceEdit, void>(method);
}

/** Server → client: the ideas changed (a document was edited, saved, created or deleted). */
export namespace IdeasChangedNotification {
  export const method = 'perfLab/ideasChanged';
  export const type = new NotificationType0(method);
}

// ---- Profiles -------------------------------------------------------------------------------

export interface ProfileSummaryItem {
  id: string;
  /** The profile file. */
  path: string;
  format: string;
  sampleType: string;
  totalWeight: number;
  samples: number;
  /** When the profile file was written (ms since epoch): sources changed after it are stale. */
  recordedAt: number;
  active: boolean;
  /** Unreadable lines skipped, and the first warnings. */
  skippedLines: number;
  /** Hot source files found nowhere on this machine (a build elsewhere): what to map. */
  missingSources?: MissingSources;
  /** Most of its time has no function names, or its stacks no depth: why, and the build's fix. */
  symbolization?: SymbolizationReport;
  /** Where the heat is: the function with the most self time in the workspace's own code. */
  hottest?: HottestFunction;
}

export interface HottestFunction {
  name: string;
  selfPercent: number;
  /** Its source file and 0-based definition line, when the file is in the workspace. */
  uri?: string;
  line?: number;
}

/** Client → server: load (or reload) a profile file and make it the active one. */
export namespace LoadProfileRequest {
  export const method = 'perfLab/loadProfile';
  export const type = new RequestType<{ path: string }, ProfileSummaryItem, void>(method);
}

/** Client → server: the loaded profiles. */
export namespace ProfilesRequest {
  export const method = 'perfLab/profiles';
  export const type = new RequestType0<ProfileSummaryItem[], void>(method);
}

/** Client → server: make a loaded profile the active one (annotations follow it). */
export namespace SetActiveProfileRequest {
  export const method = 'perfLab/setActiveProfile';
  export const type = new RequestType<{ id: string }, void, void>(method);
}

export interface LineHeat {
  /** 0-based line. */
  line: number;
  self: number;
  total: number;
  /** Percent of the profile's total weight. */
  selfPercent: number;
  totalPercent: number;
}

export interface LineHeatResult {
  profileId?: string;
  sampleType?: string;
  /** The file changed since the profile was recorded: lines may have moved. */
  stale: boolean;
  lines: LineHeat[];
}

/** Client → server: per-line cost of a source file in the active profile, for the heat decorations. */
export namespace LineHeatRequest {
  export const method = 'perfLab/lineHeat';
  export const type = new RequestType<{ uri: string }, LineHeatResult, void>(method);
}

export type { FlameNodeItem, FlameTreeResult } from './webview';

export interface FlameTreeParams {
  profileId?: string;
  /** Panel width in CSS pixels. */
  width: number;
  /** Merged-tree node to zoom into (-1 or absent: everything). */
  root?: number;
  /** Baseline profile for a differential view. */
  compareTo?: string;
  /** Scale the baseline by the totals' ratio (default true). */
  normalize?: boolean;
  /** The sample type to weigh by (an index of the profile's); its default when absent. */
  sampleType?: number;
}

/** Client → server: the flame tree of a profile, pruned to what the panel can draw. */
export namespace FlameTreeRequest {
  export const method = 'perfLab/flameTree';
  export const type = new RequestType<FlameTreeParams, FlameTreeResult, void>(method);
}

/** Client → server: where a function of a profile is in the workspace (click to source). */
export namespace FunctionSourceRequest {
  export const method = 'perfLab/functionSource';
  export const type = new RequestType<{ profileId: string; func: number }, { uri: string; line: number } | null, void>(method);
}

/** Server → client: the loaded profiles or the active one changed. */
export namespace ProfilesChangedNotification {
  export const method = 'perfLab/profilesChanged';
  export const type = new NotificationType0(method);
}

/** The languages whose files get hot-path heat, lenses and diagnostics (idea documents are markdown). */
export const sourceLanguageIds = ['rust', 'c', 'cpp', 'go'] as const;

// ---- Commands in CodeLenses -----------------------------------------------------------------

/** The client commands the server's CodeLenses run, with the one argument each takes. */
export interface LensCommandArguments {
  'perfLab.runBenchmark': BenchmarkTarget;
  'perfLab.profileBenchmark': BenchmarkTarget;
  'perfLab.setBenchmarkBaseline': BenchmarkTarget;
  'perfLab.showFlameGraph': { profileId: string; func?: number };
  'perfLab.ideas.open': { uri: string; line: number };
}
export type LensCommandId = keyof LensCommandArguments;

/** A CodeLens command typed by what it runs: the client registers every LensCommandId (commands.ts checks). */
export function lensCommand<K extends LensCommandId>(title: string, command: K, argument: LensCommandArguments[K]): { title: string; command: K; arguments: [LensCommandArguments[K]] } {
  return { title, command, arguments: [argument] };
}

// ---- Benchmarks -----------------------------------------------------------------------------

/** What "▶ Benchmark" hands the client (the CodeLens argument). */
export interface BenchmarkTarget {
  uri: string;
  kind: BenchKind;
  id: string;
  group?: boolean;
  /** Catch2: the TEST_CASE that holds the benchmark (what the test binary is told to run). */
  testCase?: string;
}

export interface BenchmarkResultItem {
  name: string;
  unit: string;
  median: number;
  cv: number;
  n: number;
  /** Every run's value, for comparisons against a baseline. */
  samples: number[];
}

/** Client → server: the results of a benchmark run, shown in its CodeLens from then on. */
export namespace BenchmarkResultsRequest {
  export const method = 'perfLab/benchmarkResults';
  export const type = new RequestType<{ target: BenchmarkTarget; results: BenchmarkResultItem[] }, void, void>(method);
}

/** Client → server: keep a benchmark's last results as its baseline (saved in .perf-lab/baselines.json). */
export namespace SetBenchmarkBaselineRequest {
  export const method = 'perfLab/setBenchmarkBaseline';
  export const type = new RequestType<{ target: BenchmarkTarget }, void, void>(method);
}

/** Client → server: a benchmark started (or stopped) running from its lens or a task: its lens says so. */
export namespace BenchmarkRunningRequest {
  export const method = 'perfLab/benchmarkRunning';
  export const type = new RequestType<{ target: BenchmarkTarget; running: boolean }, void, void>(method);
}

export interface BenchmarkFileItem {
  uri: string;
  /** Workspace-relative path. */
  path: string;
  benchmarks: (BenchmarkTarget & { line: number; lastResult?: string })[];
}

/** Client → server: the benchmarks declared in the workspace, by file. */
export namespace BenchmarksRequest {
  export const method = 'perfLab/benchmarks';
  export const type = new RequestType0<BenchmarkFileItem[], void>(method);
}

// ---- Targets --------------------------------------------------------------------------------

/** A target from an idea document with how the latest results stand against it (src/core/targets). */
export interface TargetItem {
  name: string;
  /** The document it is written in, and its 0-based line. */
  uri: string;
  path: string;
  line: number;
  status: TargetStatus;
  /** "target < 10 µs · now 23.4 µs · missed". */
  summary: string;
  /** The benchmark result it is linked to, and how ("name" matched, or the perfLab.targets "mapping"). */
  linked?: { name: string; by: 'name' | 'mapping'; benchmark?: BenchmarkTarget };
  /** The measured value as the document would write it ("23.4 µs"), when there is one. */
  measuredText?: string;
  /** Record as Current can write measuredText into the document (a Current cell, "was", a baseline). */
  recordable: boolean;
}

/** Client → server: every target of the workspace's idea documents, with its status. */
export namespace TargetsRequest {
  export const method = 'perfLab/targets';
  export const type = new RequestType0<TargetItem[], void>(method);
}

/** Client → server: the edit writing a target's measured value into its Current figure. */
export namespace RecordTargetRequest {
  export const method = 'perfLab/recordTarget';
  export const type = new RequestType<{ uri: string; line: number; name: string }, WorkspaceEdit, void>(method);
}
