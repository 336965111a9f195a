/**
 * Alarms on queues: as soon as a dead-letter queue holds a message (any message there is a failure
 * to look at), and when a work queue's oldest message has waited too long.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface QueueDepthAlarmProps {
  readonly queue: sqs.IQueue;
  /** What a message in the queue means. */
  readonly description: string;
  /** @default no action: the alarm shows in the CloudWatch console only */
  readonly action?: cloudwatch.IAlarmAction;
}

export class QueueDepthAlarm extends cloudwatch.Alarm {
  constructor(scope: Construct, id: string, props: QueueDepthAlarmProps) {
    super(scope, id, {
      metric: props.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: props.description,
    });
    if (props.action) this.addAlarmAction(props.action);
  }
}

export interface QueueAgeAlarmProps {
  readonly queue: sqs.IQueue;
  /** How long the oldest message may wait. */
  readonly maxAge: Duration;
  readonly description: string;
  /** @default no action */
  readonly action?: cloudwatch.IAlarmAction;
}

/** An alarm when a work queue's oldest message has waited too long: its consumer is failing, or cannot keep up. */
export class QueueAgeAlarm extends cloudwatch.Alarm {
  constructor(scope: Construct, id: string, props: QueueAgeAlarmProps) {
    super(scope, id, {
      metric: props.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: props.maxAge.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: props.description,
    });
    if (props.action) this.addAlarmAction(props.action);
  }
}
