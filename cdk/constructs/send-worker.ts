/**
 * The send worker: the only function that mails. It sends digest batches from the send queue
 * and the confirmations and test copies the API puts on the mail queue.
 */
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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
  /** The From address of every mail (-c sender): the only address the worker may send as. */
  sender: string;
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
    this.allowSandboxRecipients(props.sender);
    // The worker paces itself to the account's send quota; GetAccount has no resource-level permissions.
    this.allow(['ses:GetAccount'], ['*']);
    this.allow(['secretsmanager:GetSecretValue'], [props.tokenSigningSecret.secretArn]);
    // A batch SES throttles goes back on its queue with a delay and is reported done, so a deferral spends none of its receives.
    this.allow(['sqs:SendMessage'], [props.sendQueue.queueArn]);

    this.fn.addEventSource(new SqsEventSource(props.sendQueue, { batchSize: 5, maxConcurrency: 2, reportBatchItemFailures: true }));
    this.fn.addEventSource(new SqsEventSource(props.mailQueue, { batchSize: 10, maxConcurrency: 2, reportBatchItemFailures: true }));
    this.acknowledgeWildcards();
  }

  /**
   * In the SES sandbox SES authorizes a send against the recipient's identity too, so a grant on
   * the sender's identity alone makes every send AccessDenied. Any identity of the account, then,
   * but only for mail from the sender's address.
   */
  private allowSandboxRecipients(sender: string): void {
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
        conditions: { StringEquals: { 'ses:FromAddress': sender } },
      }),
    );
  }

  private acknowledgeWildcards(): void {
    const stack = Stack.of(this);
    Validations.of(this.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${nagValue(stack.region, 'AWS::Region')}:${nagValue(stack.account, 'AWS::AccountId')}:identity/*]`,
        reason:
          "In the SES sandbox every send is also authorized against the recipient's identity, which the stack cannot name in advance; the statement allows only mail whose From is the sender's address (ses:FromAddress).",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ses:GetAccount (the send quota the worker paces itself by) has no resource-level permissions.',
      },
    );
  }
}

/** How cdk-nag writes a value in a finding's id: as it is in a stack for one region and account, as <Pseudo::Parameter> in an environment-agnostic one. */
const nagValue = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
