// Lint exists to hold the layers apart (see DEVELOPERS.md); style is left to reviewers.
// The layer table lives in eslint-rules/layers.mjs: it resolves relative, dynamic and require() imports to their
// folder, so a path that walks out of its layer is caught as surely as a package name.
import tseslint from 'typescript-eslint';
import layers from './eslint-rules/layers.mjs';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'screenshots/**', 'coverage/**'] },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin, incubase: layers },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { 'no-debugger': 'error', 'incubase/layers': 'error' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    plugins: { incubase: layers },
    rules: { 'incubase/layers': 'error' },
  },
);
