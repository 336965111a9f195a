/**
 * Serves GET /api/digest/preview from the publish bundle, so MJML stays out of the API
 * function's bundle. It may only read the table, and the API token it asks publishers for.
 */
import { Duration } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { PressrunTable } from './pressrun-table.js';
import { PressrunFunction, type PressrunFunctionDefaults } from './pressrun-function.js';

export interface DigestPreviewFunctionProps extends PressrunFunctionDefaults {
  /** The publish function's variables, which the publish bundle reads when loaded (see function-environments.ts), and the API token's secret. */
  environment: Record<string, string>;
  table: PressrunTable;
  /** The bearer token the preview asks for, as the other publisher routes do. */
  apiTokenSecret: secretsmanager.ISecret;
  /** CloudFront sends it; requests without it are refused (functions/http/origin-guard.ts). */
  originSecret: secretsmanager.ISecret;
}

export class DigestPreviewFunction extends PressrunFunction {
  constructor(scope: Construct, id: string, props: DigestPreviewFunctionProps) {
    super(scope, id, {
      ...props,
      entry: 'publish',
      handler: 'preview',
      description: 'Serves GET /api/digest/preview: renders the next digest (MJML stays out of the API bundle)',
      memorySize: 1024,
      timeout: Duration.seconds(30),
      readsSecrets: true,
    });
    props.table.grantItemReads(this);
    this.allow(['secretsmanager:GetSecretValue'], [props.apiTokenSecret.secretArn, props.originSecret.secretArn]);
  }
}
