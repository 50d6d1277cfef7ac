/**
 * A suite that fails on purpose. The e2e tier runs it inside the real VS Code to prove that a
 * failing test turns the whole run red; it is never part of the integration suite.
 */
import { runMochaSuite } from '../integration/mochaRunner';

export function run(): Promise<void> {
  return runMochaSuite(__dirname, 10_000);
}
