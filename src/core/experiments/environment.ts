/** What an experiment ran on: machine, CPU, kernel, toolchains, commit and dirty state (environment.yaml). */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';

function firstLine(command: string, args: string[], cwd: string): string | undefined {
  try {
    return (
      execFileSync(command, args, { cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')[0]!
        .trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export function gitState(cwd: string): { commit?: string; dirty?: boolean } {
  const commit = firstLine('git', ['rev-parse', 'HEAD'], cwd);
  if (!commit) return {};
  let dirty = false;
  try {
    dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', timeout: 5000 }).trim() !== '';
  } catch {
    /* not a repository after all */
  }
  return { commit, dirty };
}

/**
 * YAML text (simple scalars, quoted). `runTools: false` (an untrusted workspace) records the
 * machine only: git, rustc, cargo and c++ run in the workspace can be redirected by it (a
 * `core.fsmonitor` script, a `rust-toolchain.toml` naming its own toolchain), so they do not run.
 */
export function environmentYaml(cwd: string, options: { runTools?: boolean } = {}): string {
  const quote = (value: string | number | boolean | undefined) => (value === undefined ? 'null' : typeof value === 'string' ? JSON.stringify(value) : String(value));
  const runTools = options.runTools ?? true;
  const tool = (command: string, args: string[]) => (runTools ? firstLine(command, args, cwd) : undefined);
  const git = runTools ? gitState(cwd) : {};
  const fields: [string, string | number | boolean | undefined][] = [
    ['recorded', new Date().toISOString()],
    ['hostname', os.hostname()],
    ['os', `${os.type()} ${os.release()}`],
    ['cpu', os.cpus()[0]?.model],
    ['cores', os.cpus().length],
    ['memory_gib', Math.round(os.totalmem() / 1024 ** 3)],
    ['load_average_1m', Math.round(os.loadavg()[0]! * 100) / 100],
    ['node', process.version],
    ['rustc', tool('rustc', ['--version'])],
    ['cargo', tool('cargo', ['--version'])],
    ['cxx', tool('c++', ['--version'])],
    ['commit', git.commit],
    ['dirty', git.dirty],
  ];
  const note = runTools ? '' : '# Toolchains and commit not recorded: the workspace was not trusted.\n';
  return `${note}${fields.map(([key, value]) => `${key}: ${quote(value)}`).join('\n')}\n`;
}
