/** What every Lambda root shares: its configuration and the secrets extension it reads secrets through. */
import type { MiddlewareHandler } from 'hono';
import { SecretsExtension } from '../adapters/secrets-extension.js';
import { readLambdaConfig } from '../config.js';
import { requireOrigin } from '../http/origin-guard.js';

type Env = Record<string, string | undefined>;

export function lambdaBasics<const N extends string>(env: Env, names: readonly N[]) {
  const lambda = readLambdaConfig(env, names);
  return { ...lambda, client: { region: lambda.config.region }, secrets: new SecretsExtension(lambda.secretsExtension) };
}

/**
 * The guard of a function behind the HTTP API: requests must carry the origin secret CloudFront
 * sends (its current or previous version). Without the secret's id nothing gets through.
 */
export function originGuard(secretId: string | undefined, secrets: Pick<SecretsExtension, 'read'>): MiddlewareHandler {
  return requireOrigin({ read: async (stage) => (secretId ? secrets.read(secretId, stage) : undefined) });
}
