/** Statistics for benchmark comparisons and their verdicts. No `vscode` import. */
export * from './descriptive';
export * from './inference';
export * from './verdict';
export * from './methodology';
export * from './suite';
export * from './quantiles';
