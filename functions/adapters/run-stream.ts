/**
 * Publish runs started by the table's stream: POST /api/publish writes a queued run, and the
 * stream hands the new item to the publish function (cdk/constructs/publish-function.ts filters for
 * exactly those). The API needs no Lambda client to start a run, and a run is never lost
 * between being recorded and being started: the record is the request.
 */
import type { PublishTrigger } from '../core/publish/ports.js';
import { keys, PK, SK } from './dynamo-table.js';
import type { DynamoStreamEvent } from './lambda-events.js';

/** The API's trigger in the cloud: writing the queued run was the whole of it. */
export const tableStreamTrigger: PublishTrigger = { trigger: async () => {} };

/** The queued runs a stream batch announces, with the sequence numbers a partial batch response names. */
export function queuedRunsIn(event: DynamoStreamEvent): Array<{ runId: string; sequenceNumber: string }> {
  const runs: Array<{ runId: string; sequenceNumber: string }> = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    const runId = keys.publishRunId(image?.[PK]?.S ?? '');
    if (record.eventName !== 'INSERT' || image?.[SK]?.S !== 'RUN' || image.status?.S !== 'queued' || !runId) continue;
    runs.push({ runId, sequenceNumber: record.dynamodb?.SequenceNumber ?? '' });
  }
  return runs;
}
