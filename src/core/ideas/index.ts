/** The ideas domain: parsing idea documents, editing them, resolving their locations. */
export * from './model';
export * from './parse';
export * from './edit';
export * from './resolve';
export * from './workspace';
