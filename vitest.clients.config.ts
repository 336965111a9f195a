import { defineConfig } from 'vitest/config';

/**
 * `npm run test:clients`: the published site read by real clients (python3-feedparser, newsboat,
 * xmllint, headless Chromium) installed from Debian packages (.ci/run installs them). Kept out of
 * `npm test` because it needs those packages and takes a few minutes.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    include: ['tests/clients/**/*.client.ts'],
    globalSetup: ['tests/clients/published-site.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two cores: the clients already run in parallel inside each file.
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
