/**
 * Chrome DevTools and Node `.cpuprofile`: a call tree of nodes, sampled node ids and time
 * deltas. `positionTicks` (which line of a function was running) become frames at those lines.
 * Also the older nested form (`head` with `children` objects). Weights: samples, and time in
 * microseconds from `timeDeltas`.
 */
import { ProfileError } from '../errors';
import { Profile, ProfileBuilder } from '../model';
import * as shape from '../../shape';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

interface CpuNode {
  id: number;
  callFrame?: CallFrame;
  functionName?: string;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
  hitCount?: number;
  children?: (number | CpuNode)[];
  positionTicks?: { line: number; ticks: number }[];
}

export function importCpuProfile(document: unknown, source: string): Profile {
  const profile = shape.object(document, 'the document');
  const nodes: CpuNode[] = profile.nodes !== undefined ? shape.list(profile.nodes, 'nodes').map((node, index) => readNode(node, `nodes[${index}]`)) : flatten(profile.head);
  if (!nodes.length) throw new ProfileError(source, undefined, 'cpuprofile without nodes');
  const numbers = (key: string, rule: shape.NumberRule) => shape.optionalList(profile[key], key)?.map((value, index) => shape.number(value, `${key}[${index}]`, rule));
  const b = new ProfileBuilder('cpuprofile', source, [
    { name: 'samples', unit: 'count' },
    { name: 'time', unit: 'microseconds' },
  ]);
  b.defaultSampleType = 1;
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of nodes) for (const child of node.children ?? []) parentOf.set(typeof child === 'number' ? child : child.id, node.id);

  const stackNode = new Map<number, number>();
  const frameOf = (node: CpuNode, line?: number) => {
    const call = node.callFrame!;
    const name = call.functionName || '(anonymous)';
    const func = b.functionId(name, call.url || undefined, undefined, call.lineNumber >= 0 ? { startLine: call.lineNumber + 1 } : undefined);
    return b.frameId(func, line ?? (call.lineNumber >= 0 ? call.lineNumber + 1 : undefined));
  };
  const resolve = (id: number): number => {
    const known = stackNode.get(id);
    if (known !== undefined) return known;
    const chain: CpuNode[] = [];
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      if (stackNode.has(current)) break;
      const node = byId.get(current);
      if (!node) throw new ProfileError(source, undefined, `sample refers to node ${current}, which does not exist`);
      chain.push(node);
      if (chain.length > 1_000_000) throw new ProfileError(source, undefined, 'node parents form a cycle');
    }
    const top = chain[chain.length - 1]!;
    let parent = parentOf.has(top.id) ? (stackNode.get(parentOf.get(top.id)!) ?? -1) : -1;
    for (let i = chain.length - 1; i >= 0; i--) {
      const node = chain[i]!;
      const isRoot = node.callFrame!.functionName === '(root)' && !parentOf.has(node.id);
      parent = isRoot ? -1 : b.child(parent, frameOf(node));
      stackNode.set(node.id, parent);
    }
    return parent;
  };

  const samples = numbers('samples', { integer: true }) ?? [];
  const deltas = numbers('timeDeltas', {}) ?? timestampsToDeltas(numbers('timestamps', {}) ?? []);
  const timeByNode = new Map<number, number>();
  samples.forEach((id, i) => {
    // A sample lasts until the next one.
    const duration = Math.max(0, deltas[i + 1] ?? 0);
    timeByNode.set(id, (timeByNode.get(id) ?? 0) + duration);
  });
  const countByNode = new Map<number, number>();
  for (const id of samples) countByNode.set(id, (countByNode.get(id) ?? 0) + 1);
  if (!samples.length) for (const node of nodes) if (node.hitCount) countByNode.set(node.id, node.hitCount);

  for (const [id, count] of countByNode) {
    const node = byId.get(id);
    const stack = resolve(id);
    if (!node || stack < 0) continue;
    const time = timeByNode.get(id) ?? 0;
    const ticks = node.positionTicks ?? [];
    const totalTicks = ticks.reduce((sum, tick) => sum + tick.ticks, 0);
    if (totalTicks > 0) {
      // Split the node's self weight over the lines that were running.
      const parent = parentOf.has(id) ? (stackNode.get(parentOf.get(id)!) ?? -1) : -1;
      for (const tick of ticks) {
        const leaf = b.child(parent, frameOf(node, tick.line));
        b.addWeight(leaf, 0, (count * tick.ticks) / totalTicks);
        b.addWeight(leaf, 1, (time * tick.ticks) / totalTicks);
      }
    } else {
      b.addWeight(stack, 0, count);
      b.addWeight(stack, 1, time);
    }
    b.samples += count;
  }
  return b.build();
}

/** A node with every field checked: what the rest of the importer may rely on. */
function readNode(value: unknown, where: string, nested = false): CpuNode {
  const node = shape.object(value, where);
  const callFrame = node.callFrame === undefined ? node : shape.object(node.callFrame, `${where}.callFrame`);
  const at = (key: string) => `${where}${callFrame === node ? '' : '.callFrame'}.${key}`;
  const frame: CallFrame = {
    functionName: shape.optionalText(callFrame.functionName, at('functionName')) ?? '',
    url: shape.optionalText(callFrame.url, at('url')) ?? '',
    lineNumber: shape.optionalNumber(callFrame.lineNumber, at('lineNumber'), { min: -1, integer: true }) ?? -1,
  };
  const children = shape.optionalList(node.children, `${where}.children`) ?? [];
  const hitCount = shape.optionalNumber(node.hitCount, `${where}.hitCount`, { min: 0 });
  const ticks = shape.optionalList(node.positionTicks, `${where}.positionTicks`)?.map((tick, index) => {
    const entry = shape.object(tick, `${where}.positionTicks[${index}]`);
    return {
      line: shape.number(entry.line, `${where}.positionTicks[${index}].line`, { min: 0, integer: true }),
      ticks: shape.number(entry.ticks, `${where}.positionTicks[${index}].ticks`, { min: 0 }),
    };
  });
  return {
    id: shape.number(node.id, `${where}.id`, { integer: true }),
    callFrame: frame,
    // The nested form holds child objects, read (and checked) by flatten.
    children: nested ? (children as CpuNode[]) : children.map((child, index) => shape.number(child, `${where}.children[${index}]`, { integer: true })),
    ...(hitCount !== undefined ? { hitCount } : {}),
    ...(ticks ? { positionTicks: ticks } : {}),
  };
}

function flatten(head: unknown): CpuNode[] {
  const nodes: CpuNode[] = [];
  const pending: { value: unknown; where: string }[] = head === undefined ? [] : [{ value: head, where: 'head' }];
  while (pending.length) {
    const { value, where } = pending.pop()!;
    const node = readNode(value, where, true);
    const children = node.children ?? [];
    nodes.push({
      ...node,
      children: children.map((child, index) =>
        typeof child === 'object' && child !== null
          ? shape.number((child as { id?: unknown }).id, `${where}.children[${index}].id`, { integer: true })
          : shape.number(child, `${where}.children[${index}]`, { integer: true }),
      ),
    });
    children.forEach((child, index) => {
      if (typeof child === 'object') pending.push({ value: child, where: `${where}.children[${index}]` });
    });
  }
  return nodes;
}

function timestampsToDeltas(timestamps: number[]): number[] {
  return timestamps.map((time, i) => (i === 0 ? 0 : time - timestamps[i - 1]!));
}
