/**
 * The local stand-in for the publish chunk queue: a fanned-out publish's chunks are carried out
 * in this process, a few at a time, as the chunk function's invocations are in AWS; a chunk
 * that fails comes back after a delay, as SQS redelivers it, and after `maxReceives` tries it is
 * given up with a message, as the dead-letter queue would keep it (the run then stays running
 * until the next start ends it, and the next publish repairs what it left).
 */
import type { PublishChunkMessage, PublishChunkQueue } from '../core/publish/fan-out-ports.js';
import { InProcessRetryQueue } from './retry-queue.js';

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

const nameOf = (message: PublishChunkMessage) => `publish ${message.runId} ${'finish' in message ? 'finish' : `chunk ${message.chunk}`}`;

export class InProcessPublishChunkQueue implements PublishChunkQueue {
  private readonly queue: InProcessRetryQueue<PublishChunkMessage>;

  constructor(options: ChunkQueueOptions) {
    const log = options.log ?? (() => {});
    this.queue = new InProcessRetryQueue<PublishChunkMessage>({
      name: 'publish chunk queue',
      concurrency: options.concurrency ?? 2,
      retryDelayMs: options.retryDelayMs ?? 1_000,
      maxReceives: options.maxReceives ?? 5,
      handle: async (message) => {
        await options.carryOut(message);
        return 'done';
      },
      failed: (message, error) => log(`${nameOf(message)} failed: ${error instanceof Error ? error.message : String(error)}`),
      givenUp: (message, receives) => log(`${nameOf(message)}: given up after ${receives} tries; the next publish repairs what it left`),
    });
  }

  async send(messages: PublishChunkMessage[]): Promise<void> {
    this.queue.push(messages);
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
