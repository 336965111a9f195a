import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cloud`: the deployed bundles, exactly as synthesized, end to end on moto
 * (moto_server, Python: `pip install 'moto[server]'`), with Lambda's event sources played as the
 * templates configure them, and `pressrun doctor` against the same emulator (tests/cloud/).
 * Kept out of `npm test`: it needs moto, and each file starts its own server.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    include: ['tests/cloud/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores, and each file runs its own moto_server.
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CDK_VALIDATION: 'false' },
  },
});
