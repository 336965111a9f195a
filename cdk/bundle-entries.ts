/**
 * Bundles entry files through NodejsFunction with the stacks' bundling (bundledCode), so
 * the tests and the bench run and measure exactly the code CDK deploys.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BUNDLE_FILE, bundledCode } from './bundling.js';

export interface Bundle {
  /** The bundled handler file. */
  file: string;
  bytes: number;
}

/** Builds each entry (absolute paths) into `outdir`; returns its bundle by the same key. */
export function bundleEntries<K extends string>(entries: Record<K, string>, outdir: string): Record<K, Bundle> {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundles');
  const functions = Object.entries<string>(entries).map(
    ([key, entry]) => [key, new NodejsFunction(stack, key, bundledCode(entry))] as const,
  );
  app.synth();
  const result = {} as Record<K, Bundle>;
  for (const [key, fn] of functions) {
    const code = stack.resolve((fn.node.defaultChild as CfnFunction).code) as { s3Key: string };
    const file = join(outdir, `asset.${code.s3Key.replace(/\.zip$/, '')}`, BUNDLE_FILE);
    result[key as K] = { file, bytes: statSync(file).size };
  }
  return result;
}
