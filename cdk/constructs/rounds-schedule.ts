/**
 * The rounds' tick: every five minutes EventBridge Scheduler puts `{"tick":{}}` on the send
 * queue, and the send worker plans a round for the readers on the per-article, daily and
 * weekly cadences when someone may be due (functions/core/delivery/start-send.ts: tickRounds).
 * No function is invoked for it: the queue the worker already reads carries it, and a tick
 * that cannot be delivered is simply the next one's to do.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Minutes between two ticks: with the default hold window of 10 minutes, a per-article email goes 10 to 15 minutes after its publish. */
export const ROUND_TICK_MINUTES = 5;

export interface RoundsScheduleProps {
  readonly sendQueue: sqs.IQueue;
}

export class RoundsSchedule extends Construct {
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: RoundsScheduleProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler put the rounds tick on the send queue (Pressrun)',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Ticks the rounds of readers who chose each article, daily or weekly',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(ROUND_TICK_MINUTES)),
      target: new schedulerTargets.SqsSendMessage(props.sendQueue, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject({ tick: {} }),
        retryAttempts: 0,
        maxEventAge: Duration.minutes(ROUND_TICK_MINUTES),
      }),
    });
  }
}
