/**
 * A deliberately small C++ (Itanium ABI) demangler for the common shapes in native profiles:
 * plain and nested names, constructors and destructors, `std::` abbreviations, template
 * arguments of simple types, and parameter lists of builtin, pointer, reference, const and
 * named types with substitutions. Anything else returns undefined and the caller keeps the
 * mangled name (perf usually demangles C++ itself).
 */

const builtins: Record<string, string> = {
  v: 'void',
  w: 'wchar_t',
  b: 'bool',
  c: 'char',
  a: 'signed char',
  h: 'unsigned char',
  s: 'short',
  t: 'unsigned short',
  i: 'int',
  j: 'unsigned int',
  l: 'long',
  m: 'unsigned long',
  x: 'long long',
  y: 'unsigned long long',
  n: '__int128',
  o: 'unsigned __int128',
  f: 'float',
  d: 'double',
  e: 'long double',
  g: '__float128',
  z: '...',
};

const stdAbbreviations: Record<string, string> = {
  a: 'std::allocator',
  b: 'std::basic_string',
  s: 'std::string',
  i: 'std::istream',
  o: 'std::ostream',
  d: 'std::iostream',
};

class Invalid extends Error {}

class Parser {
  private readonly substitutions: string[] = [];
  private depth = 0;
  private lastName = '';
  /** Set by a cv-qualified nested name: a const member function. */
  constMember = false;

  constructor(
    private readonly text: string,
    public pos: number,
  ) {}

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  private eat(prefix: string): boolean {
    if (this.text.startsWith(prefix, this.pos)) {
      this.pos += prefix.length;
      return true;
    }
    return false;
  }

  private guard(): void {
    if (++this.depth > 200) throw new Invalid();
  }

  encoding(): string {
    const name = this.name();
    if (this.pos >= this.text.length) return name;
    const params: string[] = [];
    while (this.pos < this.text.length && this.peek() !== 'E' && this.peek() !== '.') params.push(this.type());
    const list = params.length === 1 && params[0] === 'void' ? '' : params.join(', ');
    return `${name}(${list})${this.constMember ? ' const' : ''}`;
  }

  private sourceName(): string {
    let digits = '';
    while (/[0-9]/.test(this.peek())) digits += this.text[this.pos++];
    const length = Number(digits);
    if (!digits || this.pos + length > this.text.length) throw new Invalid();
    const name = this.text.slice(this.pos, this.pos + length);
    this.pos += length;
    return name.startsWith('_GLOBAL__N') ? '(anonymous namespace)' : name;
  }

  private unqualifiedName(): string {
    // `L`: a name with internal linkage (a `static` function), demangled like any other.
    if (this.peek() === 'L' && /[0-9]/.test(this.peek(1))) this.pos++;
    if (/[0-9]/.test(this.peek())) return (this.lastName = this.sourceName());
    if (this.eat('C1') || this.eat('C2') || this.eat('C3')) return this.lastName;
    if (this.eat('D0') || this.eat('D1') || this.eat('D2')) return `~${this.lastName}`;
    throw new Invalid();
  }

  private substitution(): string {
    if (this.eat('St')) return 'std';
    const abbreviation = stdAbbreviations[this.peek(1)];
    if (this.peek() === 'S' && abbreviation) {
      this.pos += 2;
      return abbreviation;
    }
    if (!this.eat('S')) throw new Invalid();
    let index = 0;
    if (!this.eat('_')) {
      let value = 0;
      while (this.peek() !== '_') {
        const char = this.text[this.pos++];
        if (char === undefined) throw new Invalid();
        const digit = /[0-9]/.test(char) ? char.charCodeAt(0) - 48 : /[A-Z]/.test(char) ? char.charCodeAt(0) - 55 : -1;
        if (digit < 0) throw new Invalid();
        value = value * 36 + digit;
      }
      this.pos++;
      index = value + 1;
    }
    const found = this.substitutions[index];
    if (found === undefined) throw new Invalid();
    return found;
  }

  private templateArgs(): string {
    if (!this.eat('I')) throw new Invalid();
    const args: string[] = [];
    while (!this.eat('E')) {
      if (this.eat('L')) {
        const type = this.type();
        let value = '';
        while (this.peek() !== 'E') value += this.text[this.pos++] ?? '';
        this.pos++;
        args.push(type === 'bool' ? (value === '1' ? 'true' : 'false') : value.replace(/^n/, '-'));
      } else {
        args.push(this.type());
      }
      if (this.pos >= this.text.length) throw new Invalid();
    }
    return `<${args.join(', ')}>`;
  }

  name(): string {
    this.guard();
    if (this.eat('N')) {
      while (this.eat('K') || this.eat('V') || this.eat('r')) this.constMember = true;
      let prefix = '';
      while (!this.eat('E')) {
        let part: string;
        if (this.peek() === 'S') {
          part = this.substitution();
          prefix = prefix ? `${prefix}::${part}` : part;
          continue;
        }
        if (this.peek() === 'I') {
          prefix += this.templateArgs();
          this.substitutions.push(prefix);
          continue;
        }
        part = this.unqualifiedName();
        prefix = prefix ? `${prefix}::${part}` : part;
        if (this.peek() !== 'E') this.substitutions.push(prefix);
        if (this.pos >= this.text.length) throw new Invalid();
      }
      return prefix;
    }
    if (this.eat('St')) return `std::${this.unqualifiedName()}`;
    let name = this.unqualifiedName();
    if (this.peek() === 'I') {
      this.substitutions.push(name);
      name += this.templateArgs();
    }
    return name;
  }

  type(): string {
    this.guard();
    const char = this.peek();
    const builtin = builtins[char];
    if (builtin) {
      this.pos++;
      return builtin;
    }
    let result: string;
    if (this.eat('P')) result = `${this.type()}*`;
    else if (this.eat('R')) result = `${this.type()}&`;
    else if (this.eat('O')) result = `${this.type()}&&`;
    else if (this.eat('K')) result = `${this.type()} const`;
    else if (char === 'S') {
      result = this.substitution();
      const named = result === 'std';
      if (named) result = `std::${this.unqualifiedName()}`;
      if (this.peek() === 'I') {
        this.substitutions.push(result);
        result += this.templateArgs();
      } else if (!named) {
        return result;
      }
    } else if (char === 'N' || /[0-9]/.test(char)) {
      result = this.name();
    } else {
      throw new Invalid();
    }
    this.substitutions.push(result);
    return result;
  }
}

export function demangleItanium(symbol: string): string | undefined {
  if (!symbol.startsWith('_Z')) return undefined;
  const dot = symbol.indexOf('.');
  const text = dot > 0 ? symbol.slice(0, dot) : symbol;
  try {
    const parser = new Parser(text, 2);
    const result = parser.encoding();
    return parser.pos === text.length ? result : undefined;
  } catch (error) {
    if (error instanceof Invalid) return undefined;
    throw error;
  }
}
