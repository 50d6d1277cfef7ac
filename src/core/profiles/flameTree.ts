/** The flame tree a flame graph draws, pruned to its width: sent to the panel and written into exported HTML. No `vscode` import. */
import type { MemoryTimeline } from './model';

/** A flame-graph node as the webview draws it: the server prunes the tree to the panel's width. */
export interface FlameNodeItem {
  /** Merged-tree node id, to zoom into. */
  id: number;
  name: string;
  /** Function id in the profile, for click-to-source. */
  func: number;
  /** Total weight (the frame's width). */
  value: number;
  self: number;
  /** Weight of children too narrow to draw. */
  hidden?: number;
  /** Differential view: this frame's total minus the baseline's for the same stack (scaled). */
  delta?: number;
  children: FlameNodeItem[];
}

/** What a differential flame graph compares. */
export interface FlameDiffInfo {
  /** The baseline profile's id (its path), so a restored panel can load it again. */
  baselineId: string;
  baselineTitle: string;
  /** Factor applied to the baseline's weights (total after / total before) when normalised. */
  scale: number;
  normalized: boolean;
}

export interface FlameTreeResult {
  profileId: string;
  title: string;
  sampleType: string;
  /** Every sample type of the profile (the graph can weigh by each), and the one it does. */
  sampleTypes: string[];
  sampleTypeIndex: number;
  /** Total weight of the whole profile (for percentages). */
  total: number;
  tree: FlameNodeItem;
  /** Set for a differential view: widths are this profile's, colours the change against the baseline. */
  diff?: FlameDiffInfo;
  /** A heap profile's memory over time, at most a point per two pixels; its peak is the tree of `peakSampleType`. */
  timeline?: MemoryTimeline & { peakSampleType: number };
}
