/** What every Lambda root shares: its configuration and the secrets extension it reads secrets through. */
import { SecretsExtension } from '../adapters/secrets-extension.js';
import { readLambdaConfig } from '../config.js';

type Env = Record<string, string | undefined>;

export function lambdaBasics<const N extends string>(env: Env, names: readonly N[]) {
  const lambda = readLambdaConfig(env, names);
  return { ...lambda, client: { region: lambda.config.region }, secrets: new SecretsExtension(lambda.secretsExtension) };
}
