/**
 * The chunks of a fanned-out publish on their SQS queue, ten messages a call, and read back by
 * the chunk function. A message is small (the run, generation and chunk id): the chunk's pages
 * are in the table (dynamo-publish-chunk-store.ts).
 */
import * as z from 'zod/mini';
import { PressrunError } from '../core/errors.js';
import type { PublishChunkMessage, PublishChunkQueue } from '../core/publish/fan-out-ports.js';
import { sendBatch, type SqsSender } from './sqs-queue.js';

const MAX_ENTRIES = 10;

const RunAndGeneration = { runId: z.string().check(z.minLength(1)), generation: z.int() };
const ChunkMessage = z.union([
  z.object({ ...RunAndGeneration, finish: z.literal(true) }),
  z.object({
    ...RunAndGeneration,
    chunk: z.string().check(z.minLength(1)),
    after: z.optional(z.string()),
    deletedBefore: z.optional(z.int().check(z.nonnegative())),
  }),
]);

export class SqsPublishChunkQueue implements PublishChunkQueue {
  constructor(
    private readonly sqs: SqsSender,
    private readonly queueUrl: string,
  ) {}

  async send(messages: PublishChunkMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += MAX_ENTRIES) {
      const entries = messages.slice(i, i + MAX_ENTRIES).map((message, k) => ({ Id: String(i + k), MessageBody: JSON.stringify(message) }));
      await sendBatch(this.sqs, this.queueUrl, entries, 'publish chunk');
    }
  }
}

/** A chunk message as the queue delivers it; anything else is malformed (and will never succeed). */
export function readPublishChunkMessage(body: string): PublishChunkMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    throw new PressrunError('malformed', 'A publish chunk message is not JSON', [{ field: 'body', message: (cause as Error).message }], {
      cause,
    });
  }
  const read = z.safeParse(ChunkMessage, parsed);
  if (!read.success) {
    throw new PressrunError('malformed', 'A publish chunk message names no chunk', [
      {
        field: 'body',
        message: 'must be {"runId", "generation", "chunk", "after"?, "deletedBefore"?} or {"runId", "generation", "finish": true}',
      },
    ]);
  }
  return read.data;
}
