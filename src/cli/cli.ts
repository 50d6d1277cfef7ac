/** The `perf-lab` command line over the same core as the extension. No `vscode` import. */
import { ProfileError } from '../core/profiles';
import { perfLabVersion } from '../core/version';
import { CliUsageError } from './args';
import { BenchParseError, benchUsage, runBenchParse, runCompare } from './benchCommand';
import { flameUsage, runFlameCommand } from './flameCommand';
import { IdeasError, ideasUsage, runIdeasCommand } from './ideasCommand';
import { profileUsage, runProfileCommand } from './profileCommand';
import { runTargetsCommand, targetsUsage } from './targetsCommand';
import { latencyUsage, runLatencyCommand } from './latencyCommand';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const usage = `Usage: perf-lab <command> [options]

Commands:
  ideas         List the ideas of the workspace's idea documents; set a status or result
  profile       Summarise, fold and compare profiles (perf script, folded, callgrind,
                pprof, .cpuprofile, speedscope, samply; memory: heaptrack, massif, DHAT,
                .heapprofile; gzip and zstd are fine)
  flame         Write a self-contained flame-graph HTML file of a profile
  bench parse   Read benchmark results (libtest, criterion, Google Benchmark, hyperfine, go, Catch2, iai)
  compare       Compare baseline and candidate results: deltas, intervals, p-values, verdicts
  targets       The idea documents' targets against benchmark results; --check fails on a critical one
  latency       Compare two latency distributions: P50 to P99.9, each change with its interval
  help          Show this help
  version       Print the Perf Lab version

${[ideasUsage, profileUsage, flameUsage, benchUsage, targetsUsage, latencyUsage]
  .join('\n')
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}

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
  try {
    if (command === 'profile') return await runProfileCommand(argv.slice(1), io);
    if (command === 'ideas') return await runIdeasCommand(argv.slice(1), io);
    if (command === 'flame') return await runFlameCommand(argv.slice(1), io);
    if (command === 'bench' && argv[1] === 'parse') return runBenchParse(argv.slice(2), io);
    if (command === 'compare') return runCompare(argv.slice(1), io);
    if (command === 'targets') return runTargetsCommand(argv.slice(1), io);
    if (command === 'latency') return runLatencyCommand(argv.slice(1), io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`perf-lab: ${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof ProfileError || error instanceof IdeasError || error instanceof BenchParseError) {
      io.err(`perf-lab: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  io.err(`perf-lab: unknown command '${command}'\n\n${usage}`);
  return 2;
}
