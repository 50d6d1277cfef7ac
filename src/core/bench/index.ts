/** Benchmark results: readers for each tool's output. No `vscode` import. */
export * from './parse';
export * from './load';
export * from './discover';
export * from './instructions';
export * from './compareSuites';
export * from './suggest';
