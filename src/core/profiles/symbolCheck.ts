/**
 * Why a profile's frames have no names or no callers, and how the build fixes it: a profile whose
 * time is mostly `[unknown]`, addresses or `[module]` frames, or whose stacks stop short of main,
 * answers no question about the code. The causes are few and each has a known fix.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { readElf } from './elf';
import { addressName } from './importers/processedProfile';
import { Profile, totalWeight } from './model';
import { functionStats } from './views';

export type BuildSystem = 'cargo' | 'cmake' | 'make';

export interface SymbolizationReport {
  /** Share of the time in frames without a function name, in percent. */
  unnamedPercent: number;
  /** Share of the time in stacks that do not reach main or a thread's start, in percent. */
  truncatedPercent: number;
  /** What is wrong, one sentence each, worst first. */
  problems: string[];
  /** What to change in the build or the recording, for the workspace's build systems. */
  fixes: string[];
}

const unnamed = (name: string) => name === '[unknown]' || addressName.test(name) || /^\[[^\]]*\]$/.test(name);
const systemModule = /^\/(usr|lib|lib64|opt)\/|^\[(vdso|vsyscall)\]$/;

/** Undefined when the profile names most of its time and its stacks have depth. */
export function symbolizationReport(profile: Profile, buildSystems: readonly BuildSystem[]): SymbolizationReport | undefined {
  const total = totalWeight(profile);
  // Native recordings only: folded, callgrind and JavaScript profiles carry no addresses to name.
  if (!(total > 0) || (profile.format !== 'perf-script' && profile.format !== 'processed-profile')) return undefined;
  const stats = functionStats(profile);
  const unnamedByModule = new Map<string, number>();
  let unnamedWeight = 0;
  let namedWithoutLines = 0;
  let ownWeight = 0;
  for (const stat of stats) {
    const module = stat.module ?? '';
    if (unnamed(stat.name)) {
      unnamedWeight += stat.self;
      unnamedByModule.set(module, (unnamedByModule.get(module) ?? 0) + stat.self);
    } else if (module.startsWith('/') && !systemModule.test(module)) {
      ownWeight += stat.self;
      if (stat.file === undefined) namedWithoutLines += stat.self;
    }
  }
  const truncatedWeight = truncatedSamples(profile);
  const unnamedPercent = (100 * unnamedWeight) / total;
  const truncatedPercent = (100 * truncatedWeight) / total;
  const noLines = ownWeight > 0 && namedWithoutLines > ownWeight / 2;
  if (unnamedPercent < 20 && truncatedPercent < 50 && !noLines) return undefined;

  const problems: string[] = [];
  const wants = new Set<'symbols' | 'debug' | 'frames' | 'kernel'>();
  const worth = [...unnamedByModule].filter(([, weight]) => weight >= total / 100);
  for (const [module, weight] of worth.sort((a, b) => b[1] - a[1]).slice(0, 3)) {
    const share = `${((100 * weight) / total).toFixed(0)}% of the time`;
    if (module.startsWith('[kernel')) {
      problems.push(`${share} is in kernel frames without names: the kernel hides its symbols from perf (/proc/sys/kernel/kptr_restrict, perf_event_paranoid).`);
      wants.add('kernel');
    } else if (!module.startsWith('/')) {
      problems.push(`${share} is in frames perf could not place in any binary ${module ? `(${module})` : ''}: often a stack walked without frame pointers.`.replace(' )', ')'));
      wants.add('frames');
    } else if (!existsSync(module)) {
      problems.push(`${share} is in ${module}, which is not on this machine: its addresses stay unnamed (read the profile where it was recorded, or put the binary at that path).`);
    } else {
      const sections = readElf(module)?.sections ?? [];
      if (!sections.includes('.symtab') && !sections.includes('.debug_info')) {
        problems.push(`${share} is in ${module}, which is stripped (no .symtab, no debug info): build it with symbols and do not strip it.`);
        wants.add('symbols');
      } else {
        problems.push(`${share} is in ${module}, whose addresses addr2line could not name (code generated at run time, or a binary rebuilt after the recording).`);
      }
    }
  }
  if (noLines) {
    problems.push(`${((100 * namedWithoutLines) / total).toFixed(0)}% of the time is in functions with names but no source lines: the binary has no debug info.`);
    wants.add('debug');
  }
  if (truncatedPercent >= 50) {
    problems.push(`${truncatedPercent.toFixed(0)}% of the time is in stacks that stop before main or a thread's start: without frame pointers perf cannot walk the stack, so callers are missing.`);
    wants.add('frames');
  }
  return { unnamedPercent, truncatedPercent, problems, fixes: fixesFor(wants, buildSystems) };
}

/** Where a whole stack starts: a program's or a thread's entry. */
const entryPoint = /^(_start|__libc_start_main|__libc_start_call_main|main|start_thread|clone3?|__clone3?|thread_start|_dl_start_user|std::rt::lang_start.*|std::sys::.*thread.*start.*)$/;

/**
 * Weight of samples whose stack does not reach an entry point (main, _start, a thread's start)
 * below the process's root frame: the walk stopped early, as it does without frame pointers.
 */
function truncatedSamples(profile: Profile): number {
  const outermost = new Int32Array(profile.stackParent.length);
  const weights = profile.weights[profile.defaultSampleType]!;
  let truncated = 0;
  // A parent always comes before its children in the node tables.
  for (let node = 0; node < profile.stackParent.length; node++) {
    const parent = profile.stackParent[node]!;
    // Depth 0 is the process's root frame; its child is where the stack starts.
    outermost[node] = parent < 0 ? -1 : outermost[parent]! < 0 ? node : outermost[parent]!;
    if (!weights[node] || outermost[node]! < 0) continue;
    const start = profile.functions[profile.frames[profile.stackFrame[outermost[node]!]!]!.func]!.name;
    if (!entryPoint.test(start)) truncated += weights[node]!;
  }
  return truncated;
}

function fixesFor(wants: ReadonlySet<string>, buildSystems: readonly BuildSystem[]): string[] {
  const fixes: string[] = [];
  const symbols = wants.has('symbols') || wants.has('debug');
  const frames = wants.has('frames');
  if (symbols || frames) {
    for (const system of buildSystems.length ? buildSystems : (['cargo', 'cmake', 'make'] as const)) {
      if (system === 'cargo') {
        if (symbols) fixes.push('Cargo: in Cargo.toml, `[profile.release]` (and `[profile.bench]`) `debug = true`, and no `strip`.');
        if (frames) fixes.push('Cargo: build with `RUSTFLAGS="-C force-frame-pointers=yes"` (or in .cargo/config.toml `rustflags`).');
      } else if (system === 'cmake') {
        fixes.push(`CMake: \`-DCMAKE_BUILD_TYPE=RelWithDebInfo\`${frames ? ' and `-DCMAKE_C_FLAGS=-fno-omit-frame-pointer -DCMAKE_CXX_FLAGS=-fno-omit-frame-pointer`' : ''}.`);
      } else {
        fixes.push(`Make: \`CFLAGS="-O2 -g${frames ? ' -fno-omit-frame-pointer' : ''}"\` (and CXXFLAGS), and no \`strip\` or \`-s\`.`);
      }
    }
  }
  if (frames) fixes.push('Or record with DWARF call graphs: Profile Command → "perf (DWARF)", which walks stacks without frame pointers.');
  if (wants.has('kernel')) fixes.push('Kernel names: `sudo sysctl kernel.kptr_restrict=0` (and `kernel.perf_event_paranoid=1`) before recording.');
  return fixes;
}

/** The build systems of a workspace folder, from the files at its top and one level down. */
export function buildSystemsIn(root: string): BuildSystem[] {
  const found = new Set<BuildSystem>();
  const look = (folder: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isFile() && entry.name === 'Cargo.toml') found.add('cargo');
      else if (entry.isFile() && entry.name === 'CMakeLists.txt') found.add('cmake');
      else if (entry.isFile() && (entry.name === 'Makefile' || entry.name === 'GNUmakefile')) found.add('make');
      else if (depth < 2 && entry.isDirectory() && !entry.name.startsWith('.') && !['target', 'build', 'node_modules'].includes(entry.name)) look(path.join(folder, entry.name), depth + 1);
    }
  };
  look(root, 0);
  return [...found].sort();
}
