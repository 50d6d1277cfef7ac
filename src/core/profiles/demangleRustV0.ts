/**
 * Rust v0 symbol demangling (RFC 2603), printed without crate disambiguators, as
 * `rustc-demangle` prints with `{:#}`: `_RNvCs8K9WJNlS7Dz_5trace17multiply_matrices` ->
 * `trace::multiply_matrices`. Punycode identifiers are shown as written.
 */

const basicTypes: Record<string, string> = {
  a: 'i8',
  b: 'bool',
  c: 'char',
  d: 'f64',
  e: 'str',
  f: 'f32',
  h: 'u8',
  i: 'isize',
  j: 'usize',
  l: 'i32',
  m: 'u32',
  n: 'i128',
  o: 'u128',
  s: 'i16',
  t: 'u16',
  u: '()',
  v: '...',
  x: 'i64',
  y: 'u64',
  z: '!',
  p: '_',
};

class Invalid extends Error {}

class Parser {
  private depth = 0;

  constructor(
    private readonly text: string,
    public pos: number,
  ) {}

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private next(): string {
    const char = this.text[this.pos++];
    if (char === undefined) throw new Invalid();
    return char;
  }

  private eat(char: string): boolean {
    if (this.text[this.pos] === char) {
      this.pos++;
      return true;
    }
    return false;
  }

  private enter(): void {
    if (++this.depth > 300) throw new Invalid();
  }

  /** base-62 number terminated by "_": "_" is 0, "x_" is value(x) + 1. */
  private base62(): number {
    if (this.eat('_')) return 0;
    let value = 0;
    for (;;) {
      const char = this.next();
      if (char === '_') return value + 1;
      const digit = /[0-9]/.test(char) ? char.charCodeAt(0) - 48 : /[a-z]/.test(char) ? char.charCodeAt(0) - 87 : /[A-Z]/.test(char) ? char.charCodeAt(0) - 29 : -1;
      if (digit < 0) throw new Invalid();
      // Crate disambiguators are 64-bit hashes: approximate is fine, only backrefs need exact values.
      value = value * 62 + digit;
    }
  }

  private disambiguator(): number {
    return this.eat('s') ? this.base62() + 1 : 0;
  }

  private decimal(): number {
    if (this.eat('0')) return 0; // "0" never leads a longer number
    let digits = '';
    while (/[0-9]/.test(this.peek())) digits += this.next();
    if (!digits) throw new Invalid();
    return Number(digits);
  }

  private identifier(): string {
    const punycode = this.eat('u');
    const length = this.decimal();
    this.eat('_');
    if (this.pos + length > this.text.length) throw new Invalid();
    const name = this.text.slice(this.pos, this.pos + length);
    this.pos += length;
    return punycode ? `${name}(punycode)` : name;
  }

  private backref<T>(parse: () => T): T {
    const target = this.base62() + 2; // positions count from after "_R"
    if (target >= this.pos) throw new Invalid();
    const saved = this.pos;
    this.pos = target;
    const value = parse();
    this.pos = saved;
    return value;
  }

  path(inValue: boolean): string {
    this.enter();
    try {
      const tag = this.next();
      switch (tag) {
        case 'C': {
          this.disambiguator();
          return this.identifier();
        }
        case 'N': {
          const namespace = this.next();
          const parent = this.path(inValue);
          const dis = this.disambiguator();
          const name = this.identifier();
          if (/[A-Z]/.test(namespace)) {
            const kind = namespace === 'C' ? 'closure' : namespace === 'S' ? 'shim' : namespace;
            return `${parent}::{${kind}${name ? `:${name}` : ''}#${dis}}`;
          }
          return name ? `${parent}::${name}` : parent;
        }
        case 'M': {
          this.disambiguator();
          this.path(false); // the impl's own path is not printed
          return `<${this.type()}>`;
        }
        case 'X': {
          this.disambiguator();
          this.path(false);
          const self = this.type();
          return `<${self} as ${this.path(false)}>`;
        }
        case 'Y': {
          const self = this.type();
          return `<${self} as ${this.path(false)}>`;
        }
        case 'I': {
          const base = this.path(inValue);
          const args: string[] = [];
          while (!this.eat('E')) args.push(this.genericArg());
          return `${base}${inValue ? '::' : ''}<${args.join(', ')}>`;
        }
        case 'B':
          return this.backref(() => this.path(inValue));
        default:
          throw new Invalid();
      }
    } finally {
      this.depth--;
    }
  }

  private genericArg(): string {
    if (this.eat('L')) {
      const index = this.base62();
      return index === 0 ? "'_" : `'${index}`;
    }
    if (this.eat('K')) return this.constant();
    return this.type();
  }

  private constant(): string {
    if (this.eat('p')) return '_';
    if (this.eat('B')) return this.backref(() => this.constant());
    const type = this.next();
    const negative = this.eat('n');
    let hex = '';
    while (this.peek() !== '_') hex += this.next();
    this.next();
    if (type === 'b') return hex === '1' ? 'true' : 'false';
    if (type === 'c') return `'${String.fromCodePoint(parseInt(hex || '0', 16))}'`;
    const value = hex ? BigInt(`0x${hex}`) : 0n;
    return `${negative ? '-' : ''}${value}`;
  }

  private lifetimeBinder(): void {
    if (this.eat('G')) this.base62();
  }

  type(): string {
    this.enter();
    try {
      const tag = this.peek();
      if (basicTypes[tag] !== undefined && tag !== '') {
        this.pos++;
        return basicTypes[tag]!;
      }
      this.pos++;
      switch (tag) {
        case 'A': {
          const element = this.type();
          return `[${element}; ${this.constant()}]`;
        }
        case 'S':
          return `[${this.type()}]`;
        case 'T': {
          const items: string[] = [];
          while (!this.eat('E')) items.push(this.type());
          return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
        }
        case 'R':
        case 'Q': {
          if (this.eat('L')) this.base62();
          return `&${tag === 'Q' ? 'mut ' : ''}${this.type()}`;
        }
        case 'P':
          return `*const ${this.type()}`;
        case 'O':
          return `*mut ${this.type()}`;
        case 'F': {
          this.lifetimeBinder();
          const unsafe = this.eat('U');
          let abi = '';
          if (this.eat('K')) abi = this.eat('C') ? 'extern "C" ' : `extern "${this.identifier().replace(/_/g, '-')}" `;
          const params: string[] = [];
          while (!this.eat('E')) params.push(this.type());
          const result = this.type();
          return `${unsafe ? 'unsafe ' : ''}${abi}fn(${params.join(', ')})${result === '()' ? '' : ` -> ${result}`}`;
        }
        case 'D': {
          this.lifetimeBinder();
          const traits: string[] = [];
          while (!this.eat('E')) {
            let trait = this.path(false);
            const bindings: string[] = [];
            while (this.eat('p')) {
              const name = this.identifier();
              bindings.push(`${name} = ${this.type()}`);
            }
            if (bindings.length) trait = trait.endsWith('>') ? `${trait.slice(0, -1)}, ${bindings.join(', ')}>` : `${trait}<${bindings.join(', ')}>`;
            traits.push(trait);
          }
          if (this.eat('L')) this.base62();
          return `dyn ${traits.join(' + ')}`;
        }
        case 'B':
          return this.backref(() => this.type());
        case 'C':
        case 'M':
        case 'X':
        case 'Y':
        case 'N':
        case 'I':
          this.pos--;
          return this.path(false);
        default:
          throw new Invalid();
      }
    } finally {
      this.depth--;
    }
  }
}

export function demangleRustV0(symbol: string): string | undefined {
  if (!symbol.startsWith('_R')) return undefined;
  // Drop a vendor suffix such as ".llvm.1234".
  const dot = symbol.search(/[.$]/);
  const text = dot > 0 ? symbol.slice(0, dot) : symbol;
  const parser = new Parser(text, 2);
  try {
    if (/[0-9]/.test(text[2] ?? '')) return undefined; // encoding versions other than 0
    return parser.path(true);
  } catch (error) {
    if (error instanceof Invalid || error instanceof RangeError || error instanceof SyntaxError) return undefined;
    throw error;
  }
}
