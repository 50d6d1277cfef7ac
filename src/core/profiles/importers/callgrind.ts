/**
 * Callgrind output (valgrind --tool=callgrind, also written by xdebug and others): per function
 * self costs by position, and inclusive costs of calls. Callgrind records a call graph, not
 * stacks, so stacks are rebuilt top-down: a function reached with part of its inclusive cost
 * passes that same fraction of its self and call costs down to its own callees; the costs a
 * user reads (each function's and line's self cost, the total) stay exactly the file's.
 */
import { Profile, ProfileBuilder } from '../model';
import { LineSink } from '../text';

interface Call {
  callee: number;
  line: number | undefined;
  /** Inclusive cost per event. */
  costs: number[];
}

interface CallgrindFunction {
  name: string;
  file: string | undefined;
  /** Self cost per (file, line) per event: key "file\0line". */
  self: Map<string, { file: string | undefined; line: number | undefined; costs: number[] }>;
  calls: Call[];
}

export class CallgrindImporter implements LineSink {
  private events: string[] = [];
  private positions = ['line'];
  private readonly names = new Map<string, string>();
  private readonly files = new Map<string, string>();
  private readonly functions: CallgrindFunction[] = [];
  private readonly functionIndex = new Map<string, number>();
  private current: CallgrindFunction | undefined;
  private file: string | undefined;
  private inlineFile: string | undefined;
  private calleeFile: string | undefined;
  private callee: string | undefined;
  private pendingCall = false;
  private readonly lastPosition: number[] = [];
  private lastCosts: number[] = [];
  private skipped: { line: number; reason: string }[] = [];
  private costLines = 0;

  constructor(private readonly source: string) {}

  line(text: string, lineNumber: number): void {
    if (!text || text.startsWith('#')) return;
    const first = text.charCodeAt(0);
    if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 42 || (first === 48 && text[1] === 'x')) {
      this.costLine(text, lineNumber);
      return;
    }
    const equals = text.indexOf('=');
    const colon = text.indexOf(':');
    if (equals > 0 && (colon < 0 || equals < colon)) {
      this.assignment(text.slice(0, equals), text.slice(equals + 1), lineNumber);
      return;
    }
    if (colon > 0) {
      const key = text.slice(0, colon).trim();
      const value = text.slice(colon + 1).trim();
      if (key === 'events') this.events = value.split(/\s+/).filter(Boolean);
      else if (key === 'positions') this.positions = value.split(/\s+/).filter(Boolean);
      return; // version, creator, cmd, part, summary, totals, ...
    }
    this.skipped.push({ line: lineNumber, reason: 'not a callgrind line' });
  }

  private assignment(key: string, value: string, lineNumber: number): void {
    switch (key) {
      case 'fl':
        this.file = this.compressed(this.files, value);
        this.inlineFile = undefined;
        return;
      case 'fi':
      case 'fe':
        this.inlineFile = this.compressed(this.files, value);
        return;
      case 'fn':
        this.current = this.functionFor(this.compressed(this.names, value), this.file);
        this.inlineFile = undefined;
        this.callee = undefined;
        this.calleeFile = undefined;
        return;
      case 'cfl':
      case 'cfi':
        this.calleeFile = value.trim() ? this.compressed(this.files, value) : undefined;
        return;
      case 'cfn':
        this.callee = this.compressed(this.names, value);
        return;
      case 'calls':
        if (this.callee === undefined) this.skipped.push({ line: lineNumber, reason: 'calls= without cfn=' });
        else this.pendingCall = true;
        return;
      case 'ob':
      case 'cob':
      case 'jump':
      case 'jcnd':
        return;
      default:
        this.skipped.push({ line: lineNumber, reason: `unknown key "${key}"` });
    }
  }

  /** "(id) name" defines id, "(id)" refers to it, "name" is plain. */
  private compressed(table: Map<string, string>, value: string): string {
    const text = value.trim();
    if (!text.startsWith('(')) return text;
    const close = text.indexOf(')');
    if (close < 0) return text;
    const id = text.slice(1, close);
    const name = text.slice(close + 1).trim();
    if (name) {
      table.set(id, name);
      return name;
    }
    return table.get(id) ?? `(${id})`;
  }

  private functionFor(rawName: string, file: string | undefined): CallgrindFunction {
    // Callgrind names recursion levels "f'2", "f'3": they are the same function.
    const name = rawName.replace(/'\d+$/, '');
    const key = `${file ?? ''}\u0000${name}`;
    let index = this.functionIndex.get(key);
    if (index === undefined) {
      index = this.functions.length;
      this.functions.push({ name, file, self: new Map(), calls: [] });
      this.functionIndex.set(key, index);
    }
    return this.functions[index]!;
  }

  private costLine(text: string, lineNumber: number): void {
    if (!this.current) {
      this.skipped.push({ line: lineNumber, reason: 'cost line before any fn=' });
      return;
    }
    const fields = text.trim().split(/\s+/);
    const positionValues: number[] = [];
    for (let i = 0; i < this.positions.length; i++) {
      positionValues.push(this.relative(fields[i], this.lastPosition[i] ?? 0));
      this.lastPosition[i] = positionValues[i]!;
    }
    const lineIndex = this.positions.indexOf('line');
    const line = lineIndex >= 0 ? positionValues[lineIndex] || undefined : undefined;
    const eventCount = Math.max(this.events.length, 1);
    const costs: number[] = [];
    for (let e = 0; e < eventCount; e++) {
      const field = fields[this.positions.length + e];
      costs.push(field === undefined ? 0 : this.relative(field, this.lastCosts[e] ?? 0));
    }
    if (costs.some((cost) => !Number.isFinite(cost))) {
      this.skipped.push({ line: lineNumber, reason: `unreadable cost "${text.slice(0, 40)}"` });
      return;
    }
    this.lastCosts = costs;
    this.costLines++;
    if (this.pendingCall) {
      const callee = this.functionFor(this.callee!, this.calleeFile ?? this.file);
      // A call into another recursion level of the same function ("f'2") is already counted
      // there: its costs were merged into this function.
      if (callee !== this.current) this.current.calls.push({ callee: this.functions.indexOf(callee), line, costs });
      this.pendingCall = false;
      this.calleeFile = undefined;
      return;
    }
    const file = this.inlineFile ?? this.current.file;
    const key = `${file ?? ''}\u0000${line ?? ''}`;
    const entry = this.current.self.get(key);
    if (entry) costs.forEach((cost, e) => (entry.costs[e] = (entry.costs[e] ?? 0) + cost));
    else this.current.self.set(key, { file: this.inlineFile, line, costs });
  }

  /** A position or cost: absolute, "+N"/"-N" relative to the previous one, or "*" the same. */
  private relative(field: string | undefined, previous: number): number {
    if (field === undefined) return previous;
    if (field === '*') return previous;
    const first = field.charCodeAt(0);
    if (first === 43 || first === 45) return previous + parseNumber(field.slice(1)) * (first === 45 ? -1 : 1);
    return parseNumber(field);
  }

  finish(): Profile {
    const eventTypes = (this.events.length ? this.events : ['cost']).map(eventType);
    const b = new ProfileBuilder('callgrind', this.source, eventTypes);
    for (const { line, reason } of this.skipped) b.skip(line, reason);
    b.samples = this.costLines;
    const ids = this.functions.map((fn) => b.functionId(fn.name, fn.file));
    for (let e = 0; e < eventTypes.length; e++) this.expand(b, ids, e);
    return b.build();
  }

  /**
   * Rebuilds stacks of one event in two passes. First the call graph is walked top-down, each
   * function reached with part of its inclusive cost passing that fraction of its self costs
   * (placements) and calls down; recursion and cycles are cut where a function is already on the
   * path, and tiny fractions are not followed. Then each self cost line's exact cost is shared out
   * over its placements in whole units (largest remainder), and a cost line never reached becomes
   * a stack of its own: every function's and line's self cost, and the total, are exactly the
   * file's, whatever the shape of the graph; only the split between a function's callers is
   * estimated.
   */
  private expand(b: ProfileBuilder, ids: number[], event: number): void {
    const fns = this.functions;
    const entries = fns.map((fn) => [...fn.self.values()]);
    const firstEntry = new Int32Array(fns.length + 1);
    for (let i = 0; i < fns.length; i++) firstEntry[i + 1] = firstEntry[i]! + entries[i]!.length;
    const selfTotal = entries.map((list) => list.reduce((sum, entry) => sum + (entry.costs[event] ?? 0), 0));
    const inclusive = fns.map((fn, i) => selfTotal[i]! + fn.calls.reduce((sum, call) => sum + (call.costs[event] ?? 0), 0));
    const incoming = new Float64Array(fns.length);
    for (const fn of fns) for (const call of fn.calls) incoming[call.callee] += call.costs[event] ?? 0;
    const grandTotal = selfTotal.reduce((sum, cost) => sum + Math.max(0, cost), 0);
    // Fractions under 0.01% of the total (a tenth of a pixel at 1000 px) are not followed, and the
    // walk stops growing the tree past a budget: a dense call graph has exponentially many paths.
    // Nothing is lost by stopping: the exact costs are shared out over what was placed.
    const minimum = grandTotal * 1e-4;
    const nodeBudget = 1_000_000;
    const onPath = new Uint8Array(fns.length);
    const entryFrame = (fnIndex: number, k: number) => {
      const entry = entries[fnIndex]![k]!;
      return b.frameId(ids[fnIndex]!, entry.line, undefined, entry.file ? 1 : undefined, undefined, entry.file);
    };
    const placedNode: number[] = [];
    const placedEntry: number[] = [];
    const placedCost: number[] = [];

    // Depth first with an explicit stack (a call chain 5,000 deep overflowed the recursive
    // walk): an "enter" places the function's costs and queues its calls, the matching "leave"
    // takes it off the path again.
    const pending: { fnIndex: number; weight: number; parent: number; leave: boolean }[] = [];
    const walk = (start: number, weight: number) => {
      pending.push({ fnIndex: start, weight, parent: -1, leave: false });
      while (pending.length) {
        const { fnIndex, weight: reached, parent, leave } = pending.pop()!;
        if (leave) {
          onPath[fnIndex] = 0;
          continue;
        }
        const fn = fns[fnIndex]!;
        const total = inclusive[fnIndex]!;
        if (total <= 0 || reached <= 0 || onPath[fnIndex]) continue;
        const ratio = reached / total;
        onPath[fnIndex] = 1;
        pending.push({ fnIndex, weight: 0, parent, leave: true });
        entries[fnIndex]!.forEach((entry, k) => {
          const cost = (entry.costs[event] ?? 0) * ratio;
          if (cost <= 0) return;
          placedNode.push(b.child(parent, entryFrame(fnIndex, k)));
          placedEntry.push(firstEntry[fnIndex]! + k);
          placedCost.push(cost);
        });
        for (let c = fn.calls.length - 1; c >= 0; c--) {
          const call = fn.calls[c]!;
          const cost = (call.costs[event] ?? 0) * ratio;
          if (cost <= 0 || onPath[call.callee] || cost < minimum || b.nodes > nodeBudget) continue;
          pending.push({ fnIndex: call.callee, weight: cost, parent: b.child(parent, b.frameId(ids[fnIndex]!, call.line)), leave: false });
        }
      }
    };
    fns.forEach((_, i) => {
      const rootWeight = inclusive[i]! - incoming[i]!;
      if (rootWeight > 0) walk(i, rootWeight);
    });

    // Each cost line's exact cost over its placements.
    const placedSum = new Float64Array(firstEntry[fns.length]!);
    for (let p = 0; p < placedEntry.length; p++) placedSum[placedEntry[p]!] += placedCost[p]!;
    const byEntry: number[][] = Array.from({ length: placedSum.length }, () => []);
    for (let p = 0; p < placedEntry.length; p++) byEntry[placedEntry[p]!]!.push(p);
    for (let fnIndex = 0; fnIndex < fns.length; fnIndex++) {
      entries[fnIndex]!.forEach((entry, k) => {
        const exact = entry.costs[event] ?? 0;
        if (!exact) return;
        const placements = byEntry[firstEntry[fnIndex]! + k]!;
        if (!placements.length || exact < 0) {
          // Reached by no walk (only through a cut cycle or tiny calls): a stack of its own.
          b.addWeight(b.child(-1, entryFrame(fnIndex, k)), event, exact);
          return;
        }
        const sum = placedSum[firstEntry[fnIndex]! + k]!;
        const shares = placements.map((p) => (exact * placedCost[p]!) / sum);
        if (Number.isInteger(exact)) {
          const whole = shares.map(Math.floor);
          let left = exact - whole.reduce((total, share) => total + share, 0);
          const order = shares.map((share, i) => [share - whole[i]!, i] as const).sort((x, y) => y[0] - x[0]);
          for (let i = 0; left > 0 && i < order.length; i++, left--) whole[order[i]![1]]!++;
          placements.forEach((p, i) => whole[i] && b.addWeight(placedNode[p]!, event, whole[i]!));
        } else {
          placements.forEach((p, i) => b.addWeight(placedNode[p]!, event, shares[i]!));
        }
      });
    }
  }
}

const timeUnits: Record<string, string> = { ns: 'nanoseconds', us: 'microseconds', µs: 'microseconds', ms: 'milliseconds', s: 'seconds' };

/**
 * An event's sample type: a unit written into the name (`Time_(10ns)`, `Memory_(bytes)`, as
 * xdebug and others write them) is kept as the unit a user reads: "10 nanoseconds", "bytes".
 */
function eventType(name: string): { name: string; unit: string } {
  const written = /_\((\d*)\s*([^)]+)\)$/.exec(name);
  if (!written) return { name, unit: 'count' };
  const unit = timeUnits[written[2]!] ?? written[2]!;
  return { name, unit: written[1] ? `${written[1]} ${unit}` : unit };
}

function parseNumber(text: string): number {
  return text.startsWith('0x') ? parseInt(text.slice(2), 16) : Number(text);
}
