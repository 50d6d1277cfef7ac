/** Targets from performance documents, and how the latest measurements stand against them. No `vscode` import. */
export * from './quantity';
export * from './parse';
export * from './evaluate';
