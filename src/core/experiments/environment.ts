/** What an experiment ran on: machine, CPU, kernel, toolchains, commit and dirty state (environment.yaml). */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';

function firstLine(command: string, args: string[], cwd: string): string | undefined {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0]!.trim() || undefined;
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

/** YAML text (simple scalars, quoted). */
export function environmentYaml(cwd: string): string {
  const quote = (value: string | number | boolean | undefined) => (value === undefined ? 'null' : typeof value === 'string' ? JSON.stringify(value) : String(value));
  const git = gitState(cwd);
  const fields: [string, string | number | boolean | undefined][] = [
    ['recorded', new Date().toISOString()],
    ['hostname', os.hostname()],
    ['os', `${os.type()} ${os.release()}`],
    ['cpu', os.cpus()[0]?.model],
    ['cores', os.cpus().length],
    ['memory_gib', Math.round(os.totalmem() / 1024 ** 3)],
    ['load_average_1m', Math.round(os.loadavg()[0]! * 100) / 100],
    ['node', process.version],
    ['rustc', firstLine('rustc', ['--version'], cwd)],
    ['cargo', firstLine('cargo', ['--version'], cwd)],
    ['cxx', firstLine('c++', ['--version'], cwd)],
    ['commit', git.commit],
    ['dirty', git.dirty],
  ];
  return `${fields.map(([key, value]) => `${key}: ${quote(value)}`).join('\n')}\n`;
}
