/**
 * The publish function: renders pages, feeds and the digest into the site bucket. Runs reach
 * it from the table's stream (the API writes a queued run) and from the digest schedule
 * (digest-schedule.ts); it invokes nothing itself. A full publish it fans out over the publish
 * chunk queue, which the chunk function carries out (publish-chunks-function.ts).
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { PUBLISH_TIMEOUT_MS } from '../../functions/core/publish/ports.js';
import type { PressrunTable } from './pressrun-table.js';
import { grantPublishing, type PublishingResources } from './publish-grants.js';
import { PressrunFunction, type PressrunFunctionDefaults } from './pressrun-function.js';

export interface PublishFunctionProps extends PressrunFunctionDefaults, PublishingResources {
  environment: Record<string, string>;
  /** Read and written; its stream brings the runs. */
  table: PressrunTable;
  /** Receives the stream's records that could not be handed over in time. */
  failedEventsQueue: sqs.IQueue;
}

export class PublishFunction extends PressrunFunction {
  constructor(scope: Construct, id: string, props: PublishFunctionProps) {
    super(scope, id, {
      ...props,
      entry: 'publish',
      description: 'Publish runs: pages, feeds and the digest to the site bucket',
      memorySize: 1024,
      // The API and the schedule take a run still running after this long for one left behind.
      timeout: Duration.millis(PUBLISH_TIMEOUT_MS),
      // Publishes never overlap: a second request waits in Lambda's asynchronous queue.
      reservedConcurrentExecutions: 1,
      alarmOnThrottles: false,
    });
    grantPublishing(this, props);
    this.startFromStream(props.table, props.failedEventsQueue);
  }

  /**
   * The API starts a publish run by writing it: the table's stream hands new queued runs to the
   * publish function. While a publish runs, its reserved concurrency of one throttles the next
   * one, which the stream retries (no retry limit, so throttling never drops a run); a run that
   * fails is recorded failed and retried once to no effect; what the stream cannot hand over
   * within the schedule's six hours goes to the failed-events queue.
   */
  private startFromStream(table: PressrunTable, failedEventsQueue: sqs.IQueue): void {
    this.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(failedEventsQueue),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { sk: { S: FilterRule.isEqual('RUN') }, status: { S: FilterRule.isEqual('queued') } } },
          }),
        ],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "dynamodb:ListStreams, which Lambda's stream poller needs, has no resource-level permissions; reading records (GetRecords, GetShardIterator, DescribeStream) is granted on this table's stream alone.",
    });
  }
}
