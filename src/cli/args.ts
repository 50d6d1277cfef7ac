/** Small helpers for the CLI's arguments. */

/** A mistake in how the command was called: exit code 2 with the usage. */
export class CliUsageError extends Error {}

export function hasFlag(args: readonly string[], flag: string): boolean {
  return args.includes(flag);
}

/** The value after `--flag` (or in `--flag=value`). */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === flag) {
      const value = args[i + 1];
      if (value === undefined) throw new CliUsageError(`${flag} needs a value`);
      return value;
    }
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}

/** Arguments that are not flags nor the values of `valueFlags`. */
export function positionals(args: readonly string[], valueFlags: readonly string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (valueFlags.includes(arg)) i++;
    else if (!arg.startsWith('--')) result.push(arg);
  }
  return result;
}
