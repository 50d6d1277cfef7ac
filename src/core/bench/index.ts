/** Benchmarks: the tools' adapters, their results as one model, comparisons and suggestions. No `vscode` import. */
export * from './parse';
export * from './load';
export * from './tools';
export * from './instructions';
export * from './compareSuites';
export * from './suggest';
export * from './peakMemory';
export * from './latency';
