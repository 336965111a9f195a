/**
 * What the local stand-ins for SQS queues share: messages carried out in this process a few at
 * a time; one whose handling asks for it (or fails) comes back after a delay, as SQS redelivers
 * it after its visibility timeout; after `maxReceives` counted deliveries it is given up, as a
 * dead-letter queue would keep it. What it holds lives in memory only.
 */
export interface RetryQueueOptions<M> {
  /** 'again' comes back and counts toward giving up; 'later' comes back without counting. A throw counts as 'again'. */
  handle: (message: M) => Promise<'done' | 'again' | 'later'>;
  concurrency: number;
  retryDelayMs: number;
  maxReceives: number;
  /** Told when a message is given up, with its deliveries. */
  givenUp: (message: M, receives: number) => void;
  /** Told a handling's failure. */
  failed: (message: M, error: unknown) => void;
  /** Named in the error of a message sent after close(). */
  name: string;
}

export class InProcessRetryQueue<M> {
  private readonly waiting: Array<{ message: M; receives: number }> = [];
  private running = 0;
  private readonly delayed = new Set<NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: RetryQueueOptions<M>) {}

  push(messages: readonly M[]): void {
    if (this.closed) throw new Error(`The ${this.options.name} is closed`);
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
    while (!this.closed && this.running < this.options.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      this.running++;
      void this.deliver(entry).finally(() => {
        this.running--;
        this.pump();
        if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async deliver(entry: { message: M; receives: number }): Promise<void> {
    let outcome: 'done' | 'again' | 'later';
    try {
      outcome = await this.options.handle(entry.message);
    } catch (error) {
      this.options.failed(entry.message, error);
      outcome = 'again';
    }
    if (outcome === 'done' || this.closed) return;
    if (outcome === 'again') entry.receives++;
    if (entry.receives >= this.options.maxReceives) return this.options.givenUp(entry.message, entry.receives);
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.waiting.push(entry);
      this.pump();
    }, this.options.retryDelayMs);
    this.delayed.add(timer);
  }
}
