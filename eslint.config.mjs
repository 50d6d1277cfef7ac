// ESLint: TypeScript's recommended rules and the layers of DESIGN.md, run by `npm test` (lint).
// core is pure (no vscode, no protocol, no process layer); the server, the extension, the CLI
// and the webview never import each other; protocol depends on core only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});
const noVscode = { paths: [{ name: 'vscode', message: 'only src/extension (and its tests) may import vscode' }] };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'examples/**', '.vscode-test/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-namespace': 'off', // LSP request types are declared as namespaces, as vscode-languageserver does
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noVscode,
          patterns: [
            { group: ['**/protocol/*', '**/protocol'], message: 'core is below protocol: protocol may import core, not the other way' },
            { group: ['**/extension/*', '**/cli/*', '**/server/*', '**/webview/*'], message: 'core imports no process layer' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { ...noVscode, patterns: [{ group: ['**/extension/*', '**/cli/*', '**/server/*', '**/webview/*'], message: 'protocol depends on core only' }] }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { ...noVscode, patterns: [{ group: ['**/extension/*', '**/cli/*', '**/webview/*'], message: 'the server uses core and protocol only' }] }],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { ...noVscode, patterns: [{ group: ['**/extension/*', '**/server/*', '**/webview/*', '**/protocol/*'], message: 'the CLI uses core only' }] }],
    },
  },
  layer(['src/extension/**/*.ts'], ['**/server/*', '**/cli/*', '**/webview/*'], 'the extension talks to the server over LSP and uses core and protocol'),
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noVscode,
          patterns: [
            { group: ['**/extension/*', '**/server/*', '**/cli/*', '**/core/**', '!**/core/format'], message: 'the webview imports protocol types, core/format (browser-safe) and its libraries only' },
          ],
        },
      ],
    },
  },
);
