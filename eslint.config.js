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
