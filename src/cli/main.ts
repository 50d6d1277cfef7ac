import { runCli } from './cli';

runCli(process.argv.slice(2), { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`perf-lab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
