/** Starts a queued publish run in the cloud: an asynchronous invoke of the publish function. */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { PublishTrigger } from '../core/ports.js';

/** What the publish function receives: a run the API queued, or the digest schedule firing. */
export type PublishEvent = { runId: string } | { source: 'pressrun.schedule'; scheduledTime: string };

export class LambdaPublishTrigger implements PublishTrigger {
  constructor(
    private readonly lambda: Pick<LambdaClient, 'send'>,
    private readonly functionName: string,
  ) {}

  async trigger(runId: string): Promise<void> {
    const event: PublishEvent = { runId };
    // 'Event': Lambda queues the run and answers 202 at once; the publish function's
    // reserved concurrency of one makes runs wait their turn instead of overlapping.
    const result = await this.lambda.send(
      new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }),
    );
    if (result.StatusCode !== 202) throw new Error(`Lambda did not queue the publish run (status ${result.StatusCode ?? 'none'})`);
  }
}
