import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cloud`: the deployed bundles, exactly as synthesized, end to end on moto
 * (moto_server, Python: `pip install 'moto[server]'`), with Lambda's event sources played as the
 * templates configure them (tests/cloud/). One file, one moto, one synth.
 */
export default defineConfig({
  test: {
    include: ['tests/cloud/**/*.cloud.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CDK_VALIDATION: 'false' },
  },
});
