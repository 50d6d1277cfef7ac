/** Entry of the integration suite, for both runners (code-server and @vscode/test-electron). */
import { runMochaSuite } from './mochaRunner';

export function run(): Promise<void> {
  return runMochaSuite(__dirname);
}
