/**
 * The send worker's SQS loop, for both of its queues. A batch names a digest send's batch:
 * one another worker holds, or one deferred by throttling, goes back to the queue and comes
 * again after the visibility timeout. A mail is one the API queued, and a subscription
 * request one it accepted: each goes back only when the provider certainly did not take its
 * mail (or the subscriber could not be written). A message that fails too often lands in its
 * queue's DLQ.
 */
import type { SqsEvent } from '../adapters/lambda-events.js';
import type { Sender } from '../wiring/delivery.js';
import type { SendWorkerRoot } from '../wiring/send-worker.js';
import { partialBatch, type BatchResponse } from './partial-batch.js';

type Log = (line: string, detail?: unknown) => void;

export function sendMessages(
  root: { readMessage: SendWorkerRoot['readMessage']; sender(): Promise<Pick<Sender, 'worker' | 'sendQueued' | 'subscribe'>> },
  log: Log = console.log,
) {
  return async (event: SqsEvent): Promise<BatchResponse> => {
    const sender = await root.sender();
    return partialBatch(event.Records, { idOf: (r) => r.messageId, nameOf: (r) => `message ${r.messageId}`, log }, async (record) => {
      const message = root.readMessage(record.body);
      if (message.kind === 'batch') {
        const report = await sender.worker(message.ref);
        log(`batch ${message.ref.digestId}#${message.ref.batch}: ${report.outcome}`, report);
        return report.outcome === 'busy' || report.outcome === 'deferred' ? 'again' : 'done';
      }
      // The address stays out of the logs; the id ties the line to the claim.
      if (message.kind === 'subscribe') {
        const outcome = await sender.subscribe(message.request);
        log(`subscribe ${message.request.id}: ${outcome}`);
        return outcome === 'deferred' ? 'again' : 'done';
      }
      const outcome = await sender.sendQueued(message.mail);
      log(`mail ${message.mail.id}: ${outcome}`);
      return outcome === 'deferred' ? 'again' : 'done';
    });
  };
}
