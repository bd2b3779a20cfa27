// Lint exists to hold the layers apart (see DEVELOPERS.md); style is left to reviewers.
import tseslint from 'typescript-eslint';

const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };
const restrict = (patterns, paths = []) => ['error', { patterns, paths }];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'screenshots/**', 'coverage/**'] },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { 'no-debugger': 'error' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [
          { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process'], message: 'shared/ is pure: no Node modules.' },
          { group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom', 'antd', 'better-sqlite3', 'kysely', 'exceljs', 'iconv-lite'], message: 'shared/ imports nothing outside shared/ except pure libraries.' },
        ],
        [noElectron],
      ),
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/host/**/*.ts', 'electron/cli/**/*.ts', 'electron/node/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [{ group: ['**/renderer/**', 'react', 'antd'], message: 'The core never imports UI code.' }, { group: ['**/electron/main/**', '**/electron/preload/**'], message: 'The core must run without the Electron shell.' }],
        [noElectron],
      ),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict(
        [
          { group: ['**/electron/**', 'node:*', 'fs', 'path', 'better-sqlite3', 'kysely', 'exceljs'], message: 'The renderer sees only shared/ and the typed API.' },
        ],
        [noElectron],
      ),
    },
  },
);
