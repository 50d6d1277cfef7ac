import packageJson from '../../package.json';

/** The Perf Lab version, shared by the extension, the language server and the CLI. */
export const perfLabVersion: string = packageJson.version;
