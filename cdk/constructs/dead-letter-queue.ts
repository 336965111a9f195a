/**
 * A queue that keeps what could not be processed, for fourteen days (SQS's longest), for an
 * operator to look at; an alarm on its depth (queue-depth-alarm.ts) says when to.
 */
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /**
   * What sends to it, when that is a setting cdk-nag cannot see (a Lambda on-failure
   * destination, a schedule's dead-letter queue): acknowledges AwsSolutions-SQS3, which
   * asks a queue that is no visible redrive target for a dead-letter queue of its own.
   * @default none: the queue is another queue's redrive target, which the rule sees
   */
  readonly receivesFrom?: string;
  /** @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    if (props.receivesFrom !== undefined) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself a dead-letter queue: ${props.receivesFrom}. A queue behind it would only move the same messages.`,
      });
    }
  }
}
