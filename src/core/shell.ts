/** The shell word of a value for /bin/sh: single-quoted (Perf Lab's tasks run in /bin/sh whatever the user's shell). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
