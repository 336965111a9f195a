import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cloud`: tests against moto_server (Python, `pip install 'moto[server]'`), which
 * tests/support/moto.ts starts on a free port per file. Kept out of `npm test` because it needs
 * moto and each server takes a second to start.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    include: ['tests/cloud/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores, and each file runs its own moto_server.
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
