/**
 * The send worker: the only function that mails. It sends digest batches from the send queue
 * and the confirmations and test copies the API puts on the mail queue.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { PressrunTable } from './pressrun-table.js';
import { PressrunFunction, type PressrunFunctionDefaults } from './pressrun-function.js';

/** How long the send queue hides a message from other workers; six times the worker's timeout, as Lambda advises. */
export const SEND_WORKER_TIMEOUT = Duration.minutes(2);

export interface SendWorkerProps extends PressrunFunctionDefaults {
  environment: Record<string, string>;
  table: PressrunTable;
  /** Mail goes out from this identity only. */
  emailIdentity: ses.IEmailIdentity;
  /** … and through this configuration set only. */
  configurationSet: ses.IConfigurationSet;
  /** The key that signs the unsubscribe links in each mail. */
  tokenSigningSecret: secretsmanager.ISecret;
  /** Digest batches. */
  sendQueue: sqs.IQueue;
  /** Confirmations and test copies. */
  mailQueue: sqs.IQueue;
}

export class SendWorker extends PressrunFunction {
  constructor(scope: Construct, id: string, props: SendWorkerProps) {
    super(scope, id, {
      ...props,
      entry: 'sendWorker',
      description: 'Sends digest batches from the send queue, and the mails the API queues',
      timeout: SEND_WORKER_TIMEOUT,
      readsSecrets: true,
    });
    props.table.grantItemReadWrites(this);

    // Mail: only the worker sends (digests, and the confirmations and test copies the API queues); only from the sender's identity, through the configuration set.
    const configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: props.configurationSet.configurationSetName,
    });
    this.allow(['ses:SendEmail', 'ses:SendRawEmail'], [props.emailIdentity.emailIdentityArn, configurationSetArn]);
    this.allow(['secretsmanager:GetSecretValue'], [props.tokenSigningSecret.secretArn]);

    this.fn.addEventSource(new SqsEventSource(props.sendQueue, { batchSize: 5, maxConcurrency: 2, reportBatchItemFailures: true }));
    this.fn.addEventSource(new SqsEventSource(props.mailQueue, { batchSize: 10, maxConcurrency: 2, reportBatchItemFailures: true }));
  }
}
