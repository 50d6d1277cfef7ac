/** The CLI's arguments, read by node:util's parseArgs: unknown options are usage errors. */
import { parseArgs } from 'node:util';

/** A mistake in how the command was called: exit code 2 with the usage. */
export class CliUsageError extends Error {}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
type Values<T extends OptionSpec> = { [K in keyof T]?: T[K]['type'] extends 'string' ? (T[K]['multiple'] extends true ? string[] : string) : boolean };

/**
 * A command's options and positionals. `--flag=value` and `--flag value` both work; an option
 * the command does not know (`--jsno`) or a value missing after `--top` is a usage error.
 */
export function commandArgs<T extends OptionSpec>(args: readonly string[], options: T): { values: Values<T>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: joinStringValues(args, options), options, strict: true, allowPositionals: true });
    return { values: parsed.values as Values<T>, positionals: parsed.positionals };
  } catch (error) {
    // Node's first sentence says it ("Unknown option '--jsno'"); the rest is advice about "--".
    throw new CliUsageError((error as Error).message.split(/\.\s/)[0]!.replace(/\.$/, ''));
  }
}

/**
 * `--measured -48%` as `--measured=-48%`: parseArgs refuses a value that starts with a dash,
 * and results and deltas often do. A known option after a string option is not its value.
 */
function joinStringValues(args: readonly string[], options: OptionSpec): string[] {
  const longOf = (arg: string) => (arg.startsWith('--') ? arg.slice(2) : Object.keys(options).find((name) => arg === `-${options[name]!.short}`));
  const known = (arg: string) => {
    const name = longOf(arg.split('=')[0]!);
    return name !== undefined && name in options;
  };
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      joined.push(...args.slice(i));
      break;
    }
    const name = longOf(arg);
    const next = args[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && next.startsWith('-') && !known(next)) {
      joined.push(`--${name}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}
