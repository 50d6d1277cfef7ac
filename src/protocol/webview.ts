/**
 * Messages between the extension and the flame-graph webview: one union per direction,
 * discriminated by `type`, and the tree they carry. Imported by both the Node and the browser
 * bundles, so it imports types only (erased from both bundles).
 */

// The flame tree is core's (the CLI's exported HTML draws it too); the webview protocol carries it.
export type { FlameDiffInfo, FlameNodeItem, FlameTreeResult } from '../core/profiles/flameTree';
import type { FlameTreeResult } from '../core/profiles/flameTree';
import type { DecidingMetric, Verdict } from '../core/stats/verdict';
export type { Verdict } from '../core/stats/verdict';

/** Extension → webview. */
export type ToFlameWebview = { type: 'tree'; result: FlameTreeResult; zoomed: boolean } | { type: 'error'; message: string };

/** Webview → extension. */
export type FromFlameWebview =
  | { type: 'ready'; width: number }
  | { type: 'zoom'; root: number; width: number }
  | { type: 'reset'; width: number }
  | { type: 'openSource'; func: number }
  /** Weigh the graph by another of the profile's sample types (leaked bytes, allocations, ...). */
  | { type: 'sampleType'; sampleType: number; width: number };

/** What the webview keeps across reloads (vscode.setState), and the panel serializer restores. */
export interface FlameWebviewState {
  profileId?: string;
  compareTo?: string;
  root?: number;
  search?: string;
  icicle?: boolean;
}

/** One benchmark of an experiment's before/after comparison. */
export interface DeltaRow {
  name: string;
  unit: string;
  /** What n, CV and the plotted values are: each run's median, or the pooled samples of one run a side. */
  basis: 'runs' | 'samples';
  baseline: { median: number; n: number; cv: number; values: number[] };
  candidate: { median: number; n: number; cv: number; values: number[] };
  deltaPct: number;
  ci: [number, number];
  p: number;
  verdict: Verdict;
  reason: string;
}

/** One benchmark's instruction counts (callgrind), baseline against candidate. */
export interface InstructionDeltaRow {
  name: string;
  baseline: number;
  candidate: number;
  deltaPct: number;
  verdict: Verdict;
  reason: string;
}

export interface DeltasData {
  experimentId: string;
  title: string;
  idea?: string;
  verdict: Verdict;
  /** Why, when the verdict was decided before the statistics (REJECT, KILL). */
  reason?: string;
  geomeanDeltaPct: number;
  rows: DeltaRow[];
  /** Instruction counts, when callgrind counted both sides. */
  instructions?: InstructionDeltaRow[];
  /** The timed runs' peak memory, when measured on both sides. */
  memory?: DeltaRow;
  /** What decided the verdict: the times (default), the instruction counts or the peak memory. */
  decidedBy?: DecidingMetric;
  /** What was measured against what, e.g. "baseline `HEAD` (1a2b3c4d5e), candidate the working tree, interleaved in 5 rounds". */
  measured?: string;
  /** What the statistics were computed over, in a sentence. */
  basis?: string;
  /** Both sides were profiled: the panel offers their differential flame graph. */
  differential?: boolean;
}

/** Extension → before/after webview. */
export type ToDeltasWebview = { type: 'comparison'; data: DeltasData } | { type: 'copied' };

/** Before/after webview → extension. */
export type FromDeltasWebview = { type: 'ready' } | { type: 'copyMarkdown' } | { type: 'showDifferential' };
