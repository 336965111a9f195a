/**
 * The send worker's SQS loop, for both of its queues. A batch names a digest send's batch: one
 * another worker holds, one deferred by throttling and one the invocation ran out of time for
 * is queued again as a new message with a delay, and the one delivered is deleted, so waiting
 * never spends the five receives that send a message to the DLQ (only a failure does). A mail
 * is one the API queued, and a subscription request one it accepted: each goes back only when
 * the provider certainly did not take its mail (or the subscriber could not be written). A
 * message that fails too often lands in its queue's DLQ.
 */
import type { SqsEvent } from '../adapters/lambda-events.js';
import type { BatchOutcome, TimeBudget } from '../core/delivery/send-batch.js';
import type { Sender } from '../wiring/delivery.js';
import type { SendWorkerRoot } from '../wiring/send-worker.js';
import { partialBatch, type BatchResponse } from './partial-batch.js';

type Log = (line: string, detail?: unknown) => void;

/**
 * Messages worked at once: while one batch waits on the ledger (its claim, its readers'
 * statuses, its end), the other keeps the provider busy. They share the worker's provider
 * slots (inFlight) and its pace, so the provider sees no more than with one.
 */
const AT_ONCE = 2;

/** Seconds until a batch handed back comes again: after a claim's likely end, after the provider's pause, or at once. */
const COME_BACK_IN: Partial<Record<BatchOutcome, number>> = { busy: 60, deferred: 60, yielded: 0 };

/** The Lambda context, for the time an invocation has left; absent, the worker has no deadline. */
interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export function sendMessages(
  root: {
    readMessage: SendWorkerRoot['readMessage'];
    sender(): Promise<Pick<Sender, 'worker' | 'plan' | 'tick' | 'requeue' | 'sendQueued' | 'subscribe'>>;
  },
  log: Log = console.log,
) {
  return async (event: SqsEvent, context?: InvocationContext): Promise<BatchResponse> => {
    const sender = await root.sender();
    const budget = context ? { timeLeftMs: () => context.getRemainingTimeInMillis() } : undefined;
    const options = {
      idOf: (r: SqsEvent['Records'][number]) => r.messageId,
      nameOf: (r: SqsEvent['Records'][number]) => `message ${r.messageId}`,
      log,
      concurrency: AT_ONCE,
    };
    return partialBatch(event.Records, options, async (record) => {
      const message = root.readMessage(record.body);
      if (message.kind === 'batch') {
        const report = await sender.worker(message.ref, budget);
        log(`batch ${message.ref.digestId}#${message.ref.batch}: ${report.outcome}`, report);
        // Retrying cannot help until an operator fixes the setup; the send's progress says why, and POST …/resume goes on.
        if (report.outcome === 'stopped')
          console.error(
            `The send of digest ${message.ref.digestId} is stopped: ${report.reason} (POST /api/digests/${message.ref.digestId}/resume once it is looked into)`,
          );
        const comeBackIn = COME_BACK_IN[report.outcome];
        // Should queueing it again fail, the error returns this message to SQS instead.
        if (comeBackIn !== undefined) await sender.requeue(message.ref, comeBackIn);
        return 'done';
      }
      if (message.kind === 'plan') return plan(sender, message, budget, log);
      if (message.kind === 'tick') {
        const started = await sender.tick(budget);
        log(started ? `round ${started.job.digestId}: ${started.job.status}, ${started.enqueued} batches queued` : 'tick: nobody due');
        return 'done';
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

/** A send to plan (the whole of it, or one segment): done once it is planned or handed on; again while another worker holds it. */
async function plan(
  sender: Pick<Sender, 'plan'>,
  { digestId, segment }: { digestId: string; segment?: number },
  budget: TimeBudget | undefined,
  log: Log,
): Promise<'done' | 'again'> {
  const { job, enqueued, paused, handedOn } = await sender.plan(digestId, budget, segment);
  const what = segment === undefined ? `plan ${digestId}` : `plan ${digestId} segment ${segment}`;
  const outcome = paused
    ? 'paused, handed on'
    : handedOn
      ? `${enqueued} batches queued, the rest handed on`
      : `${job.status}, ${enqueued} batches queued`;
  log(`${what}: ${outcome}`);
  if (paused || handedOn) return 'done';
  // Another worker holds the snapshot: this message comes again, and takes over if that one stopped.
  return job.status === 'queued' ? 'done' : 'again';
}
