// Lint: the layer rule first (DESIGN §9). src/core and src/protocol must never reach the VS Code API,
// so the core stays testable under node:test and drivable from the CLI.
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'src/core must not import vscode: put VS Code glue in src/extension (DESIGN §1).' }],
    patterns: [{ group: ['**/extension/**', '**/webview/**'], message: 'The core must not depend on the adapter or the webview.' }],
  }],
};

export default tseslint.config(
  { ignores: ['out/**', 'media/**', 'node_modules/**', '.tools/**', 'test-results/**', 'test/fixtures/workspaces/**', 'test/fixtures/generated/**', '.bench-data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/core/**/*.ts', 'src/protocol/**/*.ts', 'src/cli/**/*.ts'], rules: noVscode },
);
