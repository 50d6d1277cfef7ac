/** The profiles domain: model, importers, derived views and diffs. No `vscode` import. */
export * from './model';
export * from './errors';
export * from './load';
export * from './views';
export * from './diff';
export { demangle } from './demangle';
export { Addr2line, SymbolCache, symbolizeProfile } from './symbolize';
export type { SourceLocation } from './symbolize';
export * from './paths';
export * from './symbolCheck';
export { addFlameDiff, flameGraphHtml, flameTreeResult, jsonForHtml } from './flameHtml';
