/**
 * Source paths in profiles as workspace files: build paths rewritten by a prefix map, `..`
 * resolved, relative paths found under a workspace folder, files built in another checkout found
 * by the end of their path, and everything else (the Rust standard library under /rustc/<hash>/,
 * system headers, other crates) marked external.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { Profile, totalWeight } from './model';
import { functionStats } from './views';

export interface PathMapping {
  /** Absolute workspace folder paths. */
  workspaceRoots: string[];
  /** Prefixes to rewrite, in order: e.g. ["/build/ci/checkout", "/home/me/project"]. */
  prefixMap?: [from: string, to: string][];
}

export interface MappedPath {
  /** The file on this machine when found, else the path as the profile had it. */
  file: string;
  /** Outside every workspace folder (or not found). */
  external: boolean;
}

export function mapSourcePath(file: string, mapping: PathMapping): MappedPath {
  let candidate = file;
  for (const [from, to] of mapping.prefixMap ?? []) {
    if (candidate === from || candidate.startsWith(from.endsWith('/') ? from : `${from}/`)) {
      candidate = path.join(to, candidate.slice(from.length));
      break;
    }
  }
  if (/^\/rustc\/[0-9a-f]{7,}\//.test(candidate)) return { file: candidate, external: true };
  if (path.isAbsolute(candidate)) {
    // DWARF names like `.../programs/../lib/lz4.c`.
    candidate = path.normalize(candidate);
    const inside = mapping.workspaceRoots.some((root) => candidate === root || candidate.startsWith(`${root}${path.sep}`));
    if (inside) return { file: candidate, external: false };
    const elsewhere = builtElsewhere(candidate, mapping.workspaceRoots);
    return elsewhere ? { file: elsewhere, external: false } : { file: candidate, external: true };
  }
  const relative = candidate.replace(/^\.\//, '');
  for (const root of mapping.workspaceRoots) {
    const joined = path.join(root, relative);
    if (existsSync(joined)) return { file: joined, external: false };
  }
  const nested = underSubfolder(relative, mapping.workspaceRoots);
  return nested ? { file: nested, external: false } : { file: candidate, external: true };
}

/** Folders never holding the sources a relative path names: build output, dependencies, tool state. */
const notSourceFolders = new Set(['node_modules', 'target', '.git', '.perf-lab']);

/**
 * A relative path of at least a folder and a file (`wordfreq/src/lib.rs`, as DWARF gives it
 * relative to the build's own folder, the cargo workspace) found under a subfolder of a
 * workspace folder, up to three levels down (examples/native-core/rust/wordfreq/src/lib.rs).
 */
function underSubfolder(relative: string, roots: readonly string[]): string | undefined {
  if (relative.startsWith('..') || relative.split('/').filter(Boolean).length < 2) return undefined;
  for (const root of roots) {
    let level = [root];
    for (let depth = 1; depth <= 3 && level.length; depth++) {
      const next: string[] = [];
      for (const folder of level) {
        let entries;
        try {
          entries = readdirSync(folder, { withFileTypes: true });
        } catch {
          continue;
        }
        for (const entry of entries) {
          if (!entry.isDirectory() || notSourceFolders.has(entry.name) || entry.name.startsWith('.')) continue;
          const subfolder = path.join(folder, entry.name);
          if (existsSync(path.join(subfolder, relative))) return path.join(subfolder, relative);
          next.push(subfolder);
        }
      }
      level = next.slice(0, 2000);
    }
  }
  return undefined;
}

/** Toolchains and system files, never the workspace's own code. */
const systemPath = /^\/(usr|lib|opt|rustc|proc)\/|\/\.cargo\/registry\/|\/\.rustup\//;

/**
 * A file built in another checkout (CI, a container, a copy): the workspace file with the
 * longest matching end of the path, of at least a folder and a file name (`wordfreq/src/lib.rs`,
 * not just `lib.rs`).
 */
function builtElsewhere(file: string, roots: readonly string[]): string | undefined {
  if (systemPath.test(file)) return undefined;
  const parts = file.split(path.sep).filter(Boolean);
  for (let start = 1; start <= parts.length - 2; start++) {
    const suffix = parts.slice(start).join(path.sep);
    for (const root of roots) {
      const joined = path.join(root, suffix);
      if (existsSync(joined)) return joined;
    }
  }
  return undefined;
}

/** Rewrites the files of a profile's functions and frames to workspace paths and marks the rest external. */
export function mapProfilePaths(profile: Profile, mapping: PathMapping): Profile {
  const cache = new Map<string, MappedPath>();
  const mapped = (file: string) => {
    let result = cache.get(file);
    if (!result) cache.set(file, (result = mapSourcePath(file, mapping)));
    return result;
  };
  const functions = profile.functions.map((info) => {
    if (info.file === undefined) return info;
    const { file, external } = mapped(info.file);
    return { ...info, file, external: info.external || external };
  });
  const frames = profile.frames.map((frame) => (frame.file === undefined ? frame : { ...frame, file: mapped(frame.file).file }));
  return { ...profile, functions, frames };
}

export interface MissingSources {
  /** The hot source files that are nowhere on this machine, heaviest first (at most 5). */
  files: string[];
  /** Their share of the profile's self weight, in percent. */
  percent: number;
  /** The folder they share, to map to a workspace folder (perfLab.profiles.prefixMap). */
  prefix?: string;
}

/**
 * Source files that hold at least `minShare` of a profile's time and exist nowhere here after
 * mapping (a build in a container or CI whose layout differs from the checkout): the user is told,
 * and offered the prefix to map. System libraries and relative names are not counted.
 */
export function missingHotSources(profile: Profile, minShare = 0.1): MissingSources | undefined {
  const total = totalWeight(profile);
  if (!(total > 0)) return undefined;
  const byFile = new Map<string, number>();
  for (const stat of functionStats(profile)) {
    if (!stat.file || !stat.self || !path.isAbsolute(stat.file) || systemPath.test(stat.file) || (stat.module && systemPath.test(stat.module))) continue;
    byFile.set(stat.file, (byFile.get(stat.file) ?? 0) + stat.self);
  }
  const missing = [...byFile].filter(([file]) => !existsSync(file)).sort((a, b) => b[1] - a[1]);
  const weight = missing.reduce((sum, [, self]) => sum + self, 0);
  if (weight < minShare * total) return undefined;
  const files = missing.map(([file]) => file);
  const prefix = commonFolder(files);
  return { files: files.slice(0, 5), percent: (100 * weight) / total, ...(prefix ? { prefix } : {}) };
}

/** The deepest folder holding every file (never the file system root). */
function commonFolder(files: readonly string[]): string | undefined {
  let parts = path.dirname(files[0]!).split(path.sep);
  for (const file of files.slice(1)) {
    const other = path.dirname(file).split(path.sep);
    let same = 0;
    while (same < parts.length && same < other.length && parts[same] === other[same]) same++;
    parts = parts.slice(0, same);
  }
  const folder = parts.join(path.sep);
  return folder && folder !== path.sep ? folder : undefined;
}
