/**
 * The one reader of Perf Lab's settings in the extension: typed, for the folder a file or
 * benchmark is in (resource-scoped settings differ per folder of a multi-root workspace), and
 * with package.json's default in place of a value of the wrong type, said once in the output.
 */
import * as vscode from 'vscode';
import { isSettingValue, SettingKey, SettingValue } from './settingKinds';

let warn: (message: string) => void = () => undefined;
const warned = new Set<string>();

/** Where a setting of the wrong type is reported (the Perf Lab output). */
export function reportSettingProblemsTo(output: { warn(message: string): void }): void {
  warn = (message) => output.warn(message);
}

/** The workspace folder `uri` is in; else the first (a single-folder workspace, or no resource). */
export function folderOf(uri?: vscode.Uri | string): vscode.WorkspaceFolder | undefined {
  const resource = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
  return (resource && vscode.workspace.getWorkspaceFolder(resource)) ?? vscode.workspace.workspaceFolders?.[0];
}

/** `perfLab.<key>` for `scope` (a file or folder; the first folder when none). */
export function setting<K extends SettingKey>(key: K, scope?: vscode.Uri | string): SettingValue<K> {
  const resource = typeof scope === 'string' ? vscode.Uri.parse(scope) : (scope ?? vscode.workspace.workspaceFolders?.[0]?.uri);
  const configuration = vscode.workspace.getConfiguration('perfLab', resource);
  const value: unknown = configuration.get(key);
  if (isSettingValue(key, value)) return value;
  const fallback: unknown = configuration.inspect(key)?.defaultValue;
  if (!warned.has(key)) {
    warned.add(key);
    warn(`perfLab.${key} is ${JSON.stringify(value)}, not a valid value: using the default ${JSON.stringify(fallback)}`);
  }
  return fallback as SettingValue<K>;
}
