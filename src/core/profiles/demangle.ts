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
  // perf and others sometimes print Rust legacy names half-demangled, hash included.
  return symbol.replace(/::h[0-9a-f]{16}$/, '');
}

const legacyEscapes: Record<string, string> = {
  SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',',
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
