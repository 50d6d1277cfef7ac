/**
 * Callgrind output (valgrind --tool=callgrind, also written by xdebug and others): per function
 * self costs by position, and inclusive costs of calls. Callgrind records a call graph, not
 * stacks, so stacks are rebuilt top-down: a function reached with part of its inclusive cost
 * passes that same fraction of its self and call costs down to its own callees. Recursion is
 * cut at the repeated function (its cost stays with the caller's line).
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
    const eventTypes = (this.events.length ? this.events : ['cost']).map((name) => ({ name, unit: 'count' }));
    const b = new ProfileBuilder('callgrind', this.source, eventTypes);
    for (const { line, reason } of this.skipped) b.skip(line, reason);
    b.samples = this.costLines;
    const ids = this.functions.map((fn) => b.functionId(fn.name, fn.file));
    for (let e = 0; e < eventTypes.length; e++) this.expand(b, ids, e);
    return b.build();
  }

  private expand(b: ProfileBuilder, ids: number[], event: number): void {
    const selfTotal = this.functions.map((fn) => [...fn.self.values()].reduce((sum, entry) => sum + (entry.costs[event] ?? 0), 0));
    const inclusive = this.functions.map((fn, i) => selfTotal[i]! + fn.calls.reduce((sum, call) => sum + (call.costs[event] ?? 0), 0));
    const incoming = new Float64Array(this.functions.length);
    for (const fn of this.functions) for (const call of fn.calls) incoming[call.callee] += call.costs[event] ?? 0;
    const grandTotal = inclusive.reduce((sum, value, i) => sum + Math.max(0, value - incoming[i]!), 0);
    // Tiny fractions are not expanded further, so a dense call graph cannot explode the tree.
    const minimum = grandTotal * 1e-6;
    const onPath = new Uint8Array(this.functions.length);

    const visit = (fnIndex: number, weight: number, parent: number) => {
      const fn = this.functions[fnIndex]!;
      const total = inclusive[fnIndex]!;
      if (total <= 0 || weight <= 0) return;
      const ratio = weight / total;
      onPath[fnIndex] = 1;
      for (const entry of fn.self.values()) {
        const cost = (entry.costs[event] ?? 0) * ratio;
        if (cost) b.addWeight(b.child(parent, b.frameId(ids[fnIndex]!, entry.line, undefined, entry.file ? 1 : undefined, undefined, entry.file)), event, cost);
      }
      for (const call of fn.calls) {
        const cost = (call.costs[event] ?? 0) * ratio;
        if (!cost) continue;
        const site = b.child(parent, b.frameId(ids[fnIndex]!, call.line));
        if (onPath[call.callee] || cost < minimum) {
          if (onPath[call.callee]) b.addWeight(site, event, cost);
          else b.addWeight(b.child(site, b.frameId(ids[call.callee]!)), event, cost);
        } else {
          visit(call.callee, cost, site);
        }
      }
      onPath[fnIndex] = 0;
    };

    this.functions.forEach((_, i) => {
      const rootWeight = inclusive[i]! - incoming[i]!;
      if (rootWeight > 0) visit(i, rootWeight, -1);
    });
  }
}

function parseNumber(text: string): number {
  return text.startsWith('0x') ? parseInt(text.slice(2), 16) : Number(text);
}
