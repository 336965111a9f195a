/**
 * The local stand-in for the publish chunk queue: a fanned-out publish's chunks are carried out
 * in this process, a few at a time, as the chunk function's invocations are in AWS; a chunk
 * that fails comes back after a delay, as SQS redelivers it, and after `maxReceives` tries it is
 * given up with a message, as the dead-letter queue would keep it (the run then stays running
 * until the next start ends it, and the next publish repairs what it left).
 */
import type { PublishChunkMessage, PublishChunkQueue } from '../core/publish/fan-out-ports.js';

export interface ChunkQueueOptions {
  /** The chunk function's work. */
  carryOut: (message: PublishChunkMessage) => Promise<unknown>;
  /** Chunks carried out at once. Default 2. */
  concurrency?: number;
  /** Delay before a failed chunk comes back. Default 1 s. */
  retryDelayMs?: number;
  /** Deliveries of one message before it is given up. Default 5, as the dead-letter queue's redrive policy. */
  maxReceives?: number;
  log?: (line: string) => void;
}

export class InProcessPublishChunkQueue implements PublishChunkQueue {
  private readonly waiting: Array<{ message: PublishChunkMessage; receives: number }> = [];
  private running = 0;
  private readonly delayed = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: ChunkQueueOptions) {}

  async send(messages: PublishChunkMessage[]): Promise<void> {
    if (this.closed) throw new Error('The publish chunk queue is closed');
    for (const message of messages) this.waiting.push({ message, receives: 0 });
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
    while (!this.closed && this.running < (this.options.concurrency ?? 2) && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      this.running++;
      void this.deliver(entry).finally(() => {
        this.running--;
        this.pump();
        if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async deliver(entry: { message: PublishChunkMessage; receives: number }): Promise<void> {
    const log = this.options.log ?? (() => {});
    const name = 'finish' in entry.message ? 'finish' : `chunk ${entry.message.chunk}`;
    try {
      await this.options.carryOut(entry.message);
      return;
    } catch (error) {
      log(`publish ${entry.message.runId} ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.closed) return;
    if (++entry.receives >= (this.options.maxReceives ?? 5)) {
      log(`publish ${entry.message.runId} ${name}: given up after ${entry.receives} tries; the next publish repairs what it left`);
      return;
    }
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.waiting.push(entry);
      this.pump();
    }, this.options.retryDelayMs ?? 1_000);
    this.delayed.add(timer);
  }
}
