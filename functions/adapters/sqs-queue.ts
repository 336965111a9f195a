/**
 * Hands send batches to the worker through SQS, ten messages a call. A message SQS did not
 * take is sent again a few times, then the call fails: the send job is queued once more by
 * the next POST /api/digests/{id}/send, and delivering a batch twice is harmless.
 */
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandOutput, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { PressrunError } from '../core/errors.js';
import type { Queue, SendBatchRef } from '../core/ports.js';
import type { ClientOptions } from './aws-clients.js';

const MAX_ENTRIES = 10;
const MAX_ATTEMPTS = 5;

export interface SqsSender {
  send(command: SendMessageBatchCommand): Promise<Pick<SendMessageBatchCommandOutput, 'Failed'>>;
}

export function createSqsClient(options: ClientOptions): SQSClient {
  return new SQSClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

/** The message body of a batch, read back by the send worker with readBatchMessage. */
export const batchMessage = (ref: SendBatchRef): string => JSON.stringify({ digestId: ref.digestId, batch: ref.batch });

export function readBatchMessage(body: string): SendBatchRef {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (cause) {
    throw new PressrunError('malformed', 'A send message is not JSON', [{ field: 'body', message: (cause as Error).message }], { cause });
  }
  const ref = parsed as Partial<SendBatchRef> | null;
  if (!ref || typeof ref.digestId !== 'string' || !Number.isInteger(ref.batch) || (ref.batch as number) < 1) {
    throw new PressrunError('malformed', 'A send message does not name a batch', [{ field: 'body', message: 'must be {"digestId": string, "batch": positive integer}' }]);
  }
  return { digestId: ref.digestId, batch: ref.batch as number };
}

export class SqsQueue implements Queue {
  constructor(
    private readonly sqs: SqsSender,
    private readonly queueUrl: string,
  ) {}

  async enqueue(batches: SendBatchRef[]): Promise<void> {
    for (let i = 0; i < batches.length; i += MAX_ENTRIES) {
      let entries: SendMessageBatchRequestEntry[] = batches.slice(i, i + MAX_ENTRIES).map((ref, k) => ({ Id: String(i + k), MessageBody: batchMessage(ref) }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        if (attempt > MAX_ATTEMPTS) {
          throw new PressrunError('unavailable', `SQS did not take ${entries.length} send batches after ${MAX_ATTEMPTS} attempts`);
        }
        const { Failed } = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}
