/** The profiles domain: model, importers, derived views and diffs. No `vscode` import. */
export * from './model';
export * from './errors';
export * from './load';
export * from './views';
export * from './diff';
export { demangle } from './demangle';
