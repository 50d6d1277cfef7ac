/**
 * Chrome DevTools and Node `.heapprofile` (the sampling heap profiler): a tree of allocation
 * call frames, each with the bytes still allocated there (`selfSize`), and the sampled
 * allocations (`samples`: size and node). Weights: bytes (the default, as DevTools shows it) and
 * sampled allocations.
 */
import { ProfileError } from '../errors';
import { Profile, ProfileBuilder } from '../model';
import * as shape from '../../shape';

interface HeapNode {
  id?: number;
  callFrame?: { functionName?: string; url?: string; lineNumber?: number };
  selfSize?: number;
  children?: HeapNode[];
}

/** A `.heapprofile` rather than a `.cpuprofile`: its nodes carry `selfSize`, its samples are objects. */
export function isHeapProfile(document: unknown): boolean {
  const object = document as { head?: HeapNode; samples?: unknown[] } | null;
  if (!object || typeof object !== 'object' || !object.head || typeof object.head !== 'object') return false;
  return typeof object.head.selfSize === 'number' || (Array.isArray(object.samples) && typeof object.samples[0] === 'object');
}

export function importHeapProfile(document: unknown, source: string): Profile {
  const profile = document as { head: HeapNode; samples?: unknown };
  const b = new ProfileBuilder('heapprofile', source, [
    { name: 'bytes', unit: 'bytes' },
    { name: 'allocations', unit: 'count' },
  ]);
  const stackOfNode = new Map<number, number>();
  // Iterative: a deep allocation stack must not overflow the call stack.
  const pending: { node: HeapNode; parent: number }[] = [{ node: profile.head, parent: -1 }];
  while (pending.length) {
    const { node, parent } = pending.pop()!;
    if (!node || typeof node !== 'object') throw new ProfileError(source, undefined, 'a heap profile node that is not an object');
    const call = node.callFrame ?? {};
    const name = typeof call.functionName === 'string' && call.functionName ? call.functionName : '(anonymous)';
    const isRoot = parent < 0 && name === '(root)';
    let stack = parent;
    if (!isRoot) {
      const url = typeof call.url === 'string' && call.url ? call.url : undefined;
      const line = typeof call.lineNumber === 'number' && call.lineNumber >= 0 ? call.lineNumber + 1 : undefined;
      const func = b.functionId(name, url, undefined, line !== undefined ? { startLine: line } : undefined);
      stack = b.child(parent, b.frameId(func, line));
      const size = node.selfSize ?? 0;
      if (typeof size !== 'number' || !Number.isFinite(size) || size < 0)
        throw new ProfileError(source, undefined, `node ${nodeName(node.id)} has selfSize ${shape.describeValue(size)}, not a byte count`);
      b.addWeight(stack, 0, size);
    }
    if (typeof node.id === 'number') stackOfNode.set(node.id, stack);
    if (node.children !== undefined && !Array.isArray(node.children)) throw new ProfileError(source, undefined, `node ${nodeName(node.id)} has children that are not a list`);
    for (const child of node.children ?? []) pending.push({ node: child, parent: stack });
  }
  for (const sample of shape.optionalList(profile.samples, 'samples') ?? []) {
    const nodeId = sample && typeof sample === 'object' ? (sample as { nodeId?: unknown }).nodeId : undefined;
    const stack = typeof nodeId === 'number' ? stackOfNode.get(nodeId) : undefined;
    if (stack === undefined || stack < 0) continue;
    b.addWeight(stack, 1, 1);
    b.samples++;
  }
  return b.build();
}

function nodeName(id: unknown): string {
  return typeof id === 'number' ? String(id) : '?';
}
