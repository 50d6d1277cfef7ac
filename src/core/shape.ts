/**
 * Reading values out of parsed JSON whose shape nobody promised: each accessor returns the type
 * it names or throws a ShapeError saying where and what was found instead. Importers turn that
 * into their own error naming the file. Descriptions never recurse into the value, so a
 * 100,000-deep list in a name is "a list", not a stack overflow.
 */
export class ShapeError extends Error {
  constructor(
    readonly where: string,
    readonly expected: string,
    readonly found: unknown,
  ) {
    super(`${where}: expected ${expected}, found ${describeValue(found)}`);
    this.name = 'ShapeError';
  }
}

/** A short description of any value, for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function object(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ShapeError(where, 'an object', value);
  return value as Record<string, unknown>;
}

export function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(where, 'a list', value);
  return value;
}

export function optionalList(value: unknown, where: string): unknown[] | undefined {
  return value === undefined ? undefined : list(value, where);
}

export function text(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ShapeError(where, 'text', value);
  return value;
}

export function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined || value === null ? undefined : text(value, where);
}

export interface NumberRule {
  /** Smallest allowed value (inclusive). */
  min?: number;
  integer?: boolean;
}

/** A finite number within the rule. */
export function number(value: unknown, where: string, rule: NumberRule = {}): number {
  const what = `${rule.integer ? 'a whole number' : 'a number'}${rule.min !== undefined ? ` of at least ${rule.min}` : ''}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError(where, what, value);
  if ((rule.min !== undefined && value < rule.min) || (rule.integer && !Number.isInteger(value))) throw new ShapeError(where, what, value);
  return value;
}

export function optionalNumber(value: unknown, where: string, rule: NumberRule = {}): number | undefined {
  return value === undefined || value === null ? undefined : number(value, where, rule);
}
