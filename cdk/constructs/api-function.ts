/** The HTTP API (Hono): every /api route but the article routes and the digest preview. */
import { Duration } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { PressrunTable } from './pressrun-table.js';
import { PressrunFunction, type PressrunFunctionDefaults } from './pressrun-function.js';

export interface ApiFunctionProps extends PressrunFunctionDefaults {
  environment: Record<string, string>;
  table: PressrunTable;
  /** The bearer token of the write routes. */
  apiTokenSecret: secretsmanager.ISecret;
  /** CloudFront sends it; requests without it are refused (functions/http/origin-guard.ts). */
  originSecret: secretsmanager.ISecret;
  /** The key that signs confirmation and unsubscribe tokens. */
  tokenSigningSecret: secretsmanager.ISecret;
  /** Receives the send batches of POST /api/digests/{id}/send. */
  sendQueue: sqs.IQueue;
  /** Receives the confirmations and test copies the send worker mails. */
  mailQueue: sqs.IQueue;
}

export class ApiFunction extends PressrunFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id, {
      ...props,
      entry: 'api',
      description: 'The HTTP API (Hono)',
      memorySize: 1024,
      timeout: Duration.seconds(15),
      readsSecrets: true,
    });
    props.table.grantItemReadWrites(this);
    this.allow(
      ['secretsmanager:GetSecretValue'],
      [props.apiTokenSecret.secretArn, props.tokenSigningSecret.secretArn, props.originSecret.secretArn],
    );
    // The API queues work for the send worker and mails nothing itself.
    this.allow(['sqs:SendMessage'], [props.sendQueue.queueArn, props.mailQueue.queueArn]);
  }
}
