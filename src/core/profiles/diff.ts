/**
 * The difference of two profiles (A = before, B = after), per function and per stack. By default
 * A is scaled by totalB / totalA first, so a longer recording does not look like a slowdown
 * (heap measures are not scaled: the bytes are the point); deltas are B - A(scaled): positive
 * means more in B.
 */
import { isHeapMeasure, Profile, totalWeight } from './model';
import { foldedStacks, functionStats } from './views';

export interface FunctionDelta {
  name: string;
  file?: string;
  selfA: number;
  selfB: number;
  totalA: number;
  totalB: number;
  /** B - A (A scaled when normalised). */
  selfDelta: number;
  totalDelta: number;
}

export interface StackDelta {
  stack: string;
  a: number;
  b: number;
  delta: number;
}

export interface ProfileDiff {
  totalA: number;
  totalB: number;
  normalized: boolean;
  /** Factor applied to A's weights. */
  scale: number;
  functions: FunctionDelta[];
  stacks: StackDelta[];
}

export interface DiffOptions {
  /** Scale A to B's total: by default for time, not for heap measures. */
  normalize?: boolean;
  sampleTypeA?: number;
  sampleTypeB?: number;
}

/** What A's weights are multiplied by before B - A: the totals' ratio when normalised, else 1. */
export function diffScale(totalA: number, totalB: number, normalize: boolean): number {
  return normalize && totalA > 0 ? totalB / totalA : 1;
}

export function diffProfiles(a: Profile, b: Profile, options: DiffOptions = {}): ProfileDiff {
  const typeA = options.sampleTypeA ?? a.defaultSampleType;
  const typeB = options.sampleTypeB ?? b.defaultSampleType;
  const totalA = totalWeight(a, typeA);
  const totalB = totalWeight(b, typeB);
  const normalized = options.normalize ?? !isHeapMeasure(b, typeB);
  const scale = diffScale(totalA, totalB, normalized);

  const byKey = new Map<string, FunctionDelta>();
  const keyOf = (name: string, file?: string) => `${name}\u0000${file ?? ''}`;
  const entry = (name: string, file?: string) => {
    const key = keyOf(name, file);
    let delta = byKey.get(key);
    if (!delta) {
      delta = { name, selfA: 0, selfB: 0, totalA: 0, totalB: 0, selfDelta: 0, totalDelta: 0 };
      if (file !== undefined) delta.file = file;
      byKey.set(key, delta);
    }
    return delta;
  };
  for (const stat of functionStats(a, typeA)) {
    const delta = entry(stat.name, stat.file);
    delta.selfA += stat.self * scale;
    delta.totalA += stat.total * scale;
  }
  for (const stat of functionStats(b, typeB)) {
    const delta = entry(stat.name, stat.file);
    delta.selfB += stat.self;
    delta.totalB += stat.total;
  }
  const functions = [...byKey.values()];
  for (const delta of functions) {
    delta.selfDelta = delta.selfB - delta.selfA;
    delta.totalDelta = delta.totalB - delta.totalA;
  }
  functions.sort((x, y) => Math.abs(y.selfDelta) - Math.abs(x.selfDelta) || Math.abs(y.totalDelta) - Math.abs(x.totalDelta) || x.name.localeCompare(y.name));

  const stacksA = foldedStacks(a, typeA);
  const stacksB = foldedStacks(b, typeB);
  const stacks: StackDelta[] = [];
  for (const [stack, weight] of stacksA) stacks.push({ stack, a: weight * scale, b: stacksB.get(stack) ?? 0, delta: 0 });
  for (const [stack, weight] of stacksB) if (!stacksA.has(stack)) stacks.push({ stack, a: 0, b: weight, delta: 0 });
  for (const stack of stacks) stack.delta = stack.b - stack.a;
  stacks.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.stack.localeCompare(y.stack));
  return { totalA, totalB, normalized, scale, functions, stacks };
}

/** A's sample type measuring what B's `typeB` does (the same name), else A's default. */
export function matchingSampleType(a: Profile, b: Profile, typeB: number): number {
  const name = b.sampleTypes[typeB]?.name;
  const index = a.sampleTypes.findIndex((type) => type.name === name);
  return index >= 0 ? index : a.defaultSampleType;
}
