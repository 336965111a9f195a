import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    // The moto tier: npm run test:cloud (vitest.cloud.config.ts).
    exclude: [...configDefaults.exclude, 'tests/cloud/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every core: vitest's default leaves one free, which on a 2-core machine runs the files one at a time.
    maxWorkers: availableParallelism(),
    // Files share a worker's loaded modules (the SDK, MJML, dynalite cost seconds to import per
    // file otherwise). Safe because no test mocks a module, stubs a global or writes process.env:
    // every file builds its own stores, servers and clocks.
    isolate: false,
    // Tests run on Node 20 by design (Lambda runs 22); the SDK's reminder is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
