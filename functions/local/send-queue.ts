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
const COMES_AGAIN: Partial<Record<BatchReport['outcome'], 'counted' | 'uncounted'>> = {
  busy: 'uncounted',
  yielded: 'uncounted',
  deferred: 'counted',
};

/** The log line of a batch that was sent, or that stopped its send. */
function toldOf(report: BatchReport, digestId: string): string | undefined {
  if (report.outcome === 'sent')
    return `${report.sent} sent, ${report.failed} failed, ${report.suppressed} skipped${report.unknown ? `, ${report.unknown} to review` : ''}`;
  if (report.outcome === 'stopped') return `stopped: ${report.reason}; POST /api/digests/${digestId}/resume once it is looked into`;
  return undefined;
}

export class InProcessSendQueue implements Queue {
  private readonly waiting: Array<{ ref: SendBatchRef; receives: number }> = [];
  private running = 0;
  private delayed = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: SendQueueOptions) {}

  async enqueue(batches: SendBatchRef[]): Promise<void> {
    if (this.closed) throw new Error('The send queue is closed');
    for (const ref of batches) this.waiting.push({ ref, receives: 0 });
    this.pump();
  }

  /** Resolves once nothing is waiting, running or due to come back. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work; what runs now finishes, what would come back later is dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    this.waiting.length = 0;
    if (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.running === 0 && this.delayed.size === 0;
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (!this.closed && this.running < limit && this.waiting.length > 0) {
      const message = this.waiting.shift()!;
      this.running++;
      void this.deliver(message).finally(() => {
        this.running--;
        this.pump();
        if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async deliver(message: { ref: SendBatchRef; receives: number }): Promise<void> {
    const log = this.options.log ?? (() => {});
    const name = `${message.ref.digestId} batch ${message.ref.batch}`;
    let again: 'no' | 'counted' | 'uncounted' = 'no';
    try {
      const report = await this.options.worker(message.ref);
      const told = toldOf(report, message.ref.digestId);
      if (told) log(`send ${name}: ${told}`);
      again = COMES_AGAIN[report.outcome] ?? 'no';
    } catch (error) {
      log(`send ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      again = 'counted';
    }
    if (again === 'no' || this.closed) return;
    if (again === 'counted') message.receives++;
    if (message.receives >= (this.options.maxReceives ?? 10)) {
      log(
        `send ${name}: given up after ${message.receives} deliveries; it stays unfinished in the ledger, and the next start ` +
          `(or POST /api/digests/${message.ref.digestId}/send) queues it again`,
      );
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.waiting.push(message);
      this.pump();
    }, this.options.retryDelayMs ?? 2_000);
    this.delayed.add(timer);
  }
}
