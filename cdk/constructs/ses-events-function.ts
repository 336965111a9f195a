/** Suppresses addresses that hard-bounced or complained, from the SES events SNS delivers. */
import { Duration } from 'aws-cdk-lib';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { PressrunTable } from './pressrun-table.js';
import { PressrunFunction, type PressrunFunctionDefaults } from './pressrun-function.js';

export interface SesEventsFunctionProps extends PressrunFunctionDefaults {
  environment: Record<string, string>;
  table: PressrunTable;
  /** Where SES publishes bounces and complaints (ses-events-topic.ts). */
  eventsTopic: sns.ITopic;
  /** Keeps the events that still fail after retries. */
  failedEventsQueue: sqs.IQueue;
}

export class SesEventsFunction extends PressrunFunction {
  constructor(scope: Construct, id: string, props: SesEventsFunctionProps) {
    super(scope, id, {
      ...props,
      entry: 'sesEvents',
      description: 'Suppresses addresses that hard-bounced or complained (SES events via SNS)',
      memorySize: 256,
      timeout: Duration.seconds(30),
    });
    props.table.grantItemReadWrites(this);
    // SNS invokes asynchronously; what still fails after retries is kept.
    this.fn.addEventSource(new SnsEventSource(props.eventsTopic));
    this.fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new destinations.SqsDestination(props.failedEventsQueue) });
  }
}
