// Lint as architecture (VS Code's code-layering idea): the folders say which environment a
// file runs in, and these rules stop an import from the wrong one.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export const ELECTRON_ONLY_DIRS = ['electron/main/**', 'electron/preload/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Node-only core: everything under electron/ but the Electron entry files and the preload.
    files: ['electron/**/*.ts', 'tests/**/*.ts'],
    ignores: ELECTRON_ONLY_DIRS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Node-only core modules must not import electron (only electron/main and electron/preload may); pass what you need in as a parameter.',
            },
          ],
          patterns: [{ group: ['electron/*'], message: 'Node-only core modules must not import electron.' }],
        },
      ],
    },
  },
  {
    // The IPC contract is imported by main, preload and renderer: neither Node nor Electron.
    files: ['electron/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins].map((name) => ({
            name,
            message: 'The IPC contract is shared with the renderer: no Node or Electron imports.',
          })),
        },
      ],
    },
  },
  {
    // The renderer runs sandboxed in Chromium: no Node, no Electron.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins].map((name) => ({
            name,
            message: 'The renderer never imports Node or Electron; use window.kiosk (the preload contract).',
          })),
        },
      ],
    },
  },
);
