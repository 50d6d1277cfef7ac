/** The `perf-lab` command line over the same core as the extension. No `vscode` import. */
import { perfLabVersion } from '../core/version';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const usage = `Usage: perf-lab <command> [options]

Commands:
  help          Show this help
  version       Print the Perf Lab version

Options:
  -h, --help     Show this help
  -V, --version  Print the Perf Lab version
`;

/** Runs one CLI invocation and returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === 'help' || command === '-h' || command === '--help') {
    io.out(usage);
    return command === undefined ? 2 : 0;
  }
  if (command === 'version' || command === '-V' || command === '--version') {
    io.out(`${perfLabVersion}\n`);
    return 0;
  }
  io.err(`perf-lab: unknown command '${command}'\n\n${usage}`);
  return 2;
}
