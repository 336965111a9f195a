/**
 * The digest schedule: EventBridge Scheduler starts the publish function at the digest time in
 * its time zone; a publish that cannot be delivered within six hours goes to a dead-letter queue.
 */
import { Duration, Stack, TimeZone, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The role a schedule of this account assumes; only Scheduler may, and only for this account. */
export class DigestScheduleRole extends iam.Role {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
      }),
      description: 'Lets EventBridge Scheduler start the scheduled publish (Pressrun)',
    });
  }
}

export interface DigestScheduleProps {
  /** An EventBridge Scheduler cron expression, six fields: `cron(0 7 * * ? *)`. */
  readonly cron: string;
  /** The IANA time zone the cron expression is read in. */
  readonly timeZone: string;
  readonly publishFunction: lambda.IFunction;
  /** The role the schedule assumes; it is granted the invocation. */
  readonly role: DigestScheduleRole;
  /** Receives the invocations that still fail after retries. */
  readonly deadLetterQueue: sqs.IQueue;
}

export class DigestSchedule extends scheduler.Schedule {
  constructor(scope: Construct, id: string, props: DigestScheduleProps) {
    super(scope, id, {
      description: 'Publishes and sends the digest of what is new',
      schedule: scheduler.ScheduleExpression.expression(props.cron, TimeZone.of(props.timeZone)),
      target: new schedulerTargets.LambdaInvoke(props.publishFunction, {
        role: props.role,
        input: scheduler.ScheduleTargetInput.fromObject({
          source: 'pressrun.schedule',
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
    const functionId = Stack.of(props.publishFunction).getLogicalId(props.publishFunction.node.defaultChild as CfnElement);
    Validations.of(props.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        "CDK's Scheduler target grants invoke on the publish function and its qualified ARNs (function:*); the function has no versions or aliases, so this is that one function.",
    });
  }
}
