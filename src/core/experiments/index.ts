/** Experiments: folders of runs, their comparison and report. No `vscode` import. */
export * from './store';
export * from './report';
export * from './environment';
export * from './methodology';
export * from './revisions';
export * from './sideSummary';
export * from './pipeline';
export * from './verdictRecord';
