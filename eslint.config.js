import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'cdk.out/', 'coverage/', 'dist/', 'artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Functions a reader takes in at once. The few exceptions are named where they stand, each
    // a checklist read top to bottom: feed validation rules, provider error tables, date formats.
    files: ['functions/**/*.{ts,tsx}', 'cdk/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 50, skipBlankLines: true, skipComments: true }],
      complexity: ['error', 15],
    },
  },
  {
    // The core is pure: no SDKs, no web framework, no file system, no environment.
    files: ['functions/core/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['hono', 'node:fs', 'fs', 'node:fs/promises', 'fs/promises', 's3rver', 'dynalite', 'nodemailer'],
          patterns: ['@aws-sdk/*', 'hono/*', '!hono/jsx', '!hono/jsx/*', '!hono/html'],
        },
      ],
      'no-restricted-globals': ['error', 'process'],
    },
  },
);
