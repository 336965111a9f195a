/**
 * What starts a publish: the digest schedule firing, or the table's stream announcing runs
 * the API queued. Stream records run in order; a run that fails is recorded as failed by
 * its execution and its record is reported, so the stream retries from there and the retry
 * finds the run no longer queued and moves on.
 */
import type { DynamoStreamEvent } from '../adapters/lambda-events.js';
import type { PublishReport } from '../core/publish/ports.js';
import type { PublishRoot } from '../wiring/publish.js';
import { partialBatch, type BatchResponse } from './partial-batch.js';

export type PublishEvent = { source: 'pressrun.schedule'; scheduledTime: string } | DynamoStreamEvent;

export function publishEvents(root: Pick<PublishRoot, 'queuedRunsIn' | 'runQueued' | 'runScheduled'>, log = console.error) {
  return async (event: PublishEvent): Promise<PublishReport | BatchResponse | null> => {
    if (!('Records' in event)) return root.runScheduled(event.scheduledTime);
    const runs = root.queuedRunsIn(event);
    const options = {
      idOf: (r: (typeof runs)[number]) => r.sequenceNumber,
      nameOf: (r: (typeof runs)[number]) => `publish run ${r.runId}`,
    };
    return partialBatch(runs, { ...options, stopAtFirstFailure: true, log }, async ({ runId }) => {
      await root.runQueued(runId);
      return 'done';
    });
  };
}
