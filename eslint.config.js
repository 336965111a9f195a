import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'cdk.out/', 'coverage/', 'dist/', 'artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core is pure: no SDKs, no web framework, no file system, no environment.
    files: ['functions/core/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', 'node:fs', 'node:fs/*', 'fs', 'hono', 'hono/*', '!hono/jsx', '!hono/jsx/*', 's3rver', 'dynalite', 'nodemailer'] }],
      'no-restricted-globals': ['error', 'process'],
    },
  },
);
