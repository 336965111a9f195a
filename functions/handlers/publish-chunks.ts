/**
 * The chunk function's SQS loop: one message at a time (batch size 1), a chunk of a fanned-out
 * full publish or its finish. One that fails comes back alone after the queue's visibility
 * timeout; after five receives it waits in the dead-letter queue, whose alarm calls an operator.
 */
import type { SqsEvent } from '../adapters/lambda-events.js';
import type { PublishRoot } from '../wiring/publish.js';
import { partialBatch, type BatchResponse } from './partial-batch.js';

export function publishChunks(root: Pick<PublishRoot, 'carryOutChunk'>, log: (line: string, detail?: unknown) => void = console.log) {
  return async (event: SqsEvent): Promise<BatchResponse> =>
    partialBatch(event.Records, { idOf: (r) => r.messageId, nameOf: (r) => `publish chunk ${r.body}`, log }, async (record) => {
      const outcome = await root.carryOutChunk(record.body);
      log(`publish chunk ${record.body}: ${outcome}`);
      return 'done';
    });
}
