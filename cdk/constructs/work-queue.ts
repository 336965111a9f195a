/**
 * A queue a Lambda function consumes: encrypted, TLS only, messages kept four days, and a
 * dead-letter queue for a message that keeps failing.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface WorkQueueProps {
  /** Receives a message after its fifth failed receive. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The timeout of the function that consumes the queue; a message stays hidden from other consumers six times as long, as Lambda advises. */
  readonly consumerTimeout: Duration;
  /** @default SQS's default maximum message size */
  readonly maxMessageSizeBytes?: number;
  /** @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

export class WorkQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      maxMessageSizeBytes: props.maxMessageSizeBytes,
      deadLetterQueue: { queue: props.deadLetterQueue, maxReceiveCount: 5 },
      removalPolicy: props.removalPolicy,
    });
  }
}
