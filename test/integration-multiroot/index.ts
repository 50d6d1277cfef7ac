/** Entry of the multi-root integration suite: a .code-workspace of a notes folder and the example. */
import { runMochaSuite } from '../integration/mochaRunner';

export function run(): Promise<void> {
  return runMochaSuite(__dirname);
}
