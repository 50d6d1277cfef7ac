/**
 * Display names for mangled symbols: Rust legacy (`_ZN...17h<hash>E`), Rust v0 (`_R...`) and
 * C++ Itanium (`_Z...`). Anything not understood is returned unchanged; callers keep the raw
 * name beside the display name.
 */
import { demangleRustV0 } from './demangleRustV0';
import { demangleItanium } from './demangleItanium';

export function demangle(symbol: string): string {
  if (symbol.startsWith('_R')) return demangleRustV0(symbol) ?? symbol;
  if (symbol.startsWith('_ZN') && /17h[0-9a-f]{16}E/.test(symbol)) return demangleRustLegacy(symbol) ?? symbol;
  if (symbol.startsWith('_Z')) return demangleItanium(symbol) ?? symbol;
  // perf and others sometimes print Rust legacy names half-demangled: hash and escapes included.
  const withoutHash = symbol.replace(/::h[0-9a-f]{16}$/, '');
  return halfDemangledEscape.test(withoutHash) ? withoutHash.split('::').map(unescapeLegacy).join('::') : withoutHash;
}

const halfDemangledEscape = /\$(?:LT|GT|C|RF|BP|SP|LP|RP|u[0-9a-f]{2,6})\$/;

/**
 * A C++ frame name without its argument list, as FlameGraph's collapser and inferno show it
 * (`java_start`, not `java_start(Thread*)`); quotes go too. Unlike their "everything after the
 * first paren", only a paren outside template brackets starts the list, so Rust's
 * `<(A, B) as Debug>::fmt` stays whole; "(anonymous namespace)" and Go method names
 * (`net/http.(*Client).Do`) stay as they are.
 */
export function withoutArgumentList(name: string): string {
  if (/\.\(.*\)\./.test(name)) return name.replace(/["']/g, '') || name;
  let depth = 0;
  for (let i = 0; i < name.length; i++) {
    if (name.startsWith('operator', i)) {
      const operator = /^operator(?:\(\)|\[\]|->\*?|<=>|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%^&|~!=<>,])?/.exec(name.slice(i))!;
      i += operator[0].length - 1;
      continue;
    }
    const char = name[i];
    if (char === '<') depth++;
    else if (char === '>' && depth > 0) depth--;
    else if (char === '(' && depth === 0 && !name.startsWith('(anonymous namespace)', i)) {
      const head = name.slice(0, i).replace(/["']/g, '').trim();
      return head || name;
    }
  }
  return name.replace(/["']/g, '') || name;
}
const legacyEscapes: Record<string, string> = {
  SP: '@',
  BP: '*',
  RF: '&',
  LT: '<',
  GT: '>',
  LP: '(',
  RP: ')',
  C: ',',
};

/** `_ZN4core3fmt5write17h0123456789abcdefE` -> `core::fmt::write`. */
export function demangleRustLegacy(symbol: string): string | undefined {
  let i = 3;
  const parts: string[] = [];
  while (i < symbol.length && symbol[i] !== 'E') {
    let digits = '';
    while (i < symbol.length && symbol[i]! >= '0' && symbol[i]! <= '9') digits += symbol[i++];
    const length = Number(digits);
    if (!digits || i + length > symbol.length) return undefined;
    parts.push(symbol.slice(i, i + length));
    i += length;
  }
  if (symbol[i] !== 'E' || parts.length === 0) return undefined;
  if (/^h[0-9a-f]{16}$/.test(parts[parts.length - 1]!)) parts.pop();
  return parts.map(unescapeLegacy).join('::');
}

function unescapeLegacy(part: string): string {
  let text = part.startsWith('_$') ? part.slice(1) : part;
  text = text.replace(/\.\./g, '::');
  return text.replace(/\$([A-Z]{1,2}|u[0-9a-f]{2,6})\$/g, (whole, code: string) => {
    if (code.startsWith('u')) return String.fromCodePoint(parseInt(code.slice(1), 16));
    return legacyEscapes[code] ?? whole;
  });
}
