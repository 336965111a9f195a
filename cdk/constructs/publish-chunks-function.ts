/**
 * The chunk function: carries out the chunks of a fanned-out full publish (functions/core/publish/fan-out.ts)
 * from the publish chunk queue, several invocations at once, one message each, then the finish.
 * The publish bundle's `chunks` export; it may do what the publish function does to the site
 * (publish-grants.ts), and hand the next wave to its own queue.
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { PUBLISH_CHUNK_TIMEOUT_MS } from '../../functions/core/publish/ports.js';
import { PressrunFunction, type PressrunFunctionDefaults } from './pressrun-function.js';
import { grantPublishing, type PublishingResources } from './publish-grants.js';

/** Chunks carried out at once: enough to spread a large archive, few enough to stay inside S3's and the table's request rates. */
export const PUBLISH_CHUNK_CONCURRENCY = 8;

export interface PublishChunksFunctionProps extends PressrunFunctionDefaults, PublishingResources {
  /** The publish function's variables: the same bundle, read when loaded. */
  environment: Record<string, string>;
}

export class PublishChunksFunction extends PressrunFunction {
  constructor(scope: Construct, id: string, props: PublishChunksFunctionProps) {
    super(scope, id, {
      ...props,
      entry: 'publish',
      handler: 'chunks',
      description: 'Carries out the chunks of a fanned-out full publish, and its finish',
      memorySize: 1024,
      timeout: Duration.millis(PUBLISH_CHUNK_TIMEOUT_MS),
    });
    grantPublishing(this, props);
    this.fn.addEventSource(
      new SqsEventSource(props.publishChunkQueue, {
        batchSize: 1,
        maxConcurrency: PUBLISH_CHUNK_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
  }
}
