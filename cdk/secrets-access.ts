/**
 * How a function reads its secrets: through the AWS Parameters and Secrets Lambda extension
 * where Lambda publishes it for the functions' architecture, and where it does not (eu-central-2,
 * ca-west-1, il-central-1 and others: secrets-extension.ts) through Secrets Manager's API, with the
 * function's own credentials and the GetSecretValue permission it has either way
 * (functions/wiring/lambda.ts).
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';
import { ARCHITECTURE } from './bundling.js';
import { SECRETS_SOURCE } from './secrets-extension.js';

const EXTENSION_VERSION = lambda.ParamsAndSecretsVersions.V1_0_103;

export interface SecretsAccess {
  paramsAndSecrets?: lambda.ParamsAndSecretsLayerVersion;
  environment: Record<string, string>;
}

/**
 * The extension when the stack's region has it, by aws-cdk-lib's table of layer ARNs (without
 * one, the synth would fail). An environment-agnostic stack (`npm run synth` without
 * credentials) gets the extension from that table at deploy; a deploy always knows its region
 * (app.ts), so it is the one that decides.
 */
export function secretsAccess(scope: Construct): SecretsAccess {
  const region = Stack.of(scope).region;
  const published =
    Token.isUnresolved(region) || RegionInfo.get(region).paramsAndSecretsLambdaLayerArn(EXTENSION_VERSION, ARCHITECTURE.name);
  if (!published) return { environment: { ...SECRETS_SOURCE } };
  return { paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(EXTENSION_VERSION, { cacheSize: 10 }), environment: {} };
}
