/**
 * How every Lambda function is built: one set of NodejsFunction bundling options, used by
 * the stacks and by the tests and bench that run the bundles, so what is tested and
 * measured is what is deployed.
 */
import { fileURLToPath } from 'node:url';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, OutputFormat, type BundlingOptions, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';

export const projectRoot = fileURLToPath(new URL('../', import.meta.url));

/** Entry files of the functions, relative to the project root: the only thing cdk/ knows about functions/. */
export const ENTRIES = {
  api: 'functions/handlers/api.ts',
  articles: 'functions/handlers/articles.ts',
  publish: 'functions/handlers/publish.ts',
  sendWorker: 'functions/handlers/send-worker.ts',
  sesEvents: 'functions/handlers/ses-events.ts',
} as const;
export type EntryName = keyof typeof ENTRIES;

export const entryPath = (name: EntryName): string => fileURLToPath(new URL(`../${ENTRIES[name]}`, import.meta.url));

export const RUNTIME = Runtime.NODEJS_22_X;
export const ARCHITECTURE = Architecture.ARM_64;

/**
 * ESM output, because the handlers use top-level imports of ESM-only packages (feed, hono);
 * the banner gives bundled CommonJS dependencies the `require` they expect. The SDK is
 * bundled rather than taken from the runtime so the tested version is the deployed one
 * and each bundle holds only the clients it imports. Templates (.mjml) are bundled as text,
 * so the publish function reads no files at run time. No source maps: they add size and,
 * with --enable-source-maps, cold-start time.
 */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: false,
  // cosmiconfig (mjml → htmlnano) requires the TypeScript compiler only to read a .ts config
  // file, which a bundle never has; bundling it would add 3.5 MB to the publish function.
  externalModules: ['typescript'],
  loader: { '.mjml': 'text' },
  // sanitize-html require()s htmlparser2 and html-to-text imports it: without the alias the
  // same version is bundled twice, once per module format (~170 KB). In Lambda credentials come
  // from the environment only: the SDK's default chain gives way to that one provider
  // (functions/adapters/lambda-credentials.ts), and its STS and SSO clients stay out.
  esbuildArgs: {
    '--alias': [
      'htmlparser2=./node_modules/htmlparser2/dist/esm/index.js',
      '@aws-sdk/credential-provider-node=./functions/adapters/lambda-credentials.ts',
    ],
  },
  logLevel: LogLevel.WARNING,
  banner:
    "import { createRequire as __pressrunCreateRequire } from 'node:module'; const require = __pressrunCreateRequire(import.meta.url);",
};

/** The file NodejsFunction writes the bundle to, inside the asset directory. */
export const BUNDLE_FILE = 'index.mjs';

/** Everything about a function that decides its bundle; the stacks and bundleEntries (tests, bench) both use it. */
export function bundledCode(
  entry: string,
): Pick<NodejsFunctionProps, 'entry' | 'projectRoot' | 'depsLockFilePath' | 'runtime' | 'architecture' | 'bundling'> {
  return {
    entry,
    projectRoot,
    depsLockFilePath: `${projectRoot}package-lock.json`,
    runtime: RUNTIME,
    architecture: ARCHITECTURE,
    bundling: BUNDLING,
  };
}
