/** What every Lambda root shares: its configuration and the secrets reader it reads secrets through. */
import type { MiddlewareHandler } from 'hono';
import { SecretsExtension, SecretsManagerApi, type SecretsReader } from '../adapters/secrets-extension.js';
import { readLambdaConfig } from '../config.js';
import { requireOrigin } from '../http/origin-guard.js';

type Env = Record<string, string | undefined>;

export function lambdaBasics<const N extends string>(env: Env, names: readonly N[]) {
  const lambda = readLambdaConfig(env, names);
  return { ...lambda, client: { region: lambda.config.region }, secrets: secretsReader(env, lambda) };
}

/**
 * The Parameters and Secrets extension, or, where Lambda does not publish it and the stack says
 * so (PRESSRUN_SECRETS_SOURCE, cdk/secrets-access.ts), Secrets Manager's API with the
 * function's own credentials.
 */
function secretsReader(env: Env, lambda: ReturnType<typeof readLambdaConfig>): SecretsReader {
  if (env.PRESSRUN_SECRETS_SOURCE !== SECRETS_MANAGER_API) return new SecretsExtension(lambda.secretsExtension);
  return new SecretsManagerApi({
    region: lambda.config.region,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: env.AWS_SESSION_TOKEN,
    },
  });
}

/** The value of PRESSRUN_SECRETS_SOURCE that picks Secrets Manager's API; must match SECRETS_SOURCE in cdk/secrets-extension.ts. */
export const SECRETS_MANAGER_API = 'secretsmanager-api';

/**
 * The guard of a function behind the HTTP API: requests must carry the origin secret CloudFront
 * sends (its current or previous version). Without the secret's id nothing gets through.
 */
export function originGuard(secretId: string | undefined, secrets: Pick<SecretsReader, 'read'>): MiddlewareHandler {
  return requireOrigin({ read: async (stage) => (secretId ? secrets.read(secretId, stage) : undefined) });
}
