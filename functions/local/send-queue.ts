/**
 * The local stand-in for the SQS queue of send batches: batches run in this process, a few at
 * a time, and a batch the worker could not finish (another claim holds it, the provider
 * throttled, the worker failed) comes back after a delay, as SQS redelivers it after its
 * visibility timeout; after `maxReceives` failed or deferred deliveries it is dropped with a
 * message, as a DLQ would keep it. A batch another claim holds comes back until that claim
 * ends, without counting: SQS's visibility timeout (12 minutes) outlasts a claim's lease
 * (5 minutes), so there one more delivery finds it free; here deliveries are 2 s apart.
 *
 * What it holds lives in memory only; the ledger is what lasts. A batch dropped by close(), a
 * crash or a kill is still pending or sending in the ledger, and resume-sends.ts queues it
 * again at the next start, as SQS keeps a message until a worker deletes it.
 */
import type { BatchReport } from '../core/delivery/send-batch.js';
import type { Queue, SendBatchRef } from '../core/delivery/ports.js';
import { InProcessRetryQueue } from './retry-queue.js';

export interface SendQueueOptions {
  /** The send worker's batch handling. */
  worker: (ref: SendBatchRef) => Promise<BatchReport>;
  /** Batches worked on at once. Default 4. */
  concurrency?: number;
  /** Delay before a batch comes back. Default 2 s. */
  retryDelayMs?: number;
  /** Failed or deferred deliveries of one message before it is given up. Default 10. */
  maxReceives?: number;
  log?: (line: string) => void;
}

/** Whether a batch comes back after this outcome, as SQS would deliver it again, and whether that counts toward giving up. */
const COMES_AGAIN: Partial<Record<BatchReport['outcome'], 'again' | 'later'>> = {
  busy: 'later',
  yielded: 'later',
  deferred: 'again',
};

/** The log line of a batch that was sent, or that stopped its send. */
function toldOf(report: BatchReport, digestId: string): string | undefined {
  if (report.outcome === 'sent')
    return `${report.sent} sent, ${report.failed} failed, ${report.suppressed} skipped${report.unknown ? `, ${report.unknown} to review` : ''}`;
  if (report.outcome === 'stopped') return `stopped: ${report.reason}; POST /api/digests/${digestId}/resume once it is looked into`;
  return undefined;
}

const nameOf = (ref: SendBatchRef) => `${ref.digestId} batch ${ref.batch}`;

export class InProcessSendQueue implements Queue {
  private readonly queue: InProcessRetryQueue<SendBatchRef>;

  constructor(options: SendQueueOptions) {
    const log = options.log ?? (() => {});
    this.queue = new InProcessRetryQueue<SendBatchRef>({
      name: 'send queue',
      concurrency: options.concurrency ?? 4,
      retryDelayMs: options.retryDelayMs ?? 2_000,
      maxReceives: options.maxReceives ?? 10,
      handle: async (ref) => {
        const report = await options.worker(ref);
        const told = toldOf(report, ref.digestId);
        if (told) log(`send ${nameOf(ref)}: ${told}`);
        return COMES_AGAIN[report.outcome] ?? 'done';
      },
      failed: (ref, error) => log(`send ${nameOf(ref)} failed: ${error instanceof Error ? error.message : String(error)}`),
      givenUp: (ref, receives) =>
        log(
          `send ${nameOf(ref)}: given up after ${receives} deliveries; it stays unfinished in the ledger, and the next start ` +
            `(or POST /api/digests/${ref.digestId}/send) queues it again`,
        ),
    });
  }

  async enqueue(batches: SendBatchRef[]): Promise<void> {
    this.queue.push(batches.map((ref) => ({ ...ref })));
  }

  /** Resolves once nothing is waiting, running or due to come back. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops taking work; what runs now finishes, what would come back later is dropped. */
  close(): Promise<void> {
    return this.queue.close();
  }
}
