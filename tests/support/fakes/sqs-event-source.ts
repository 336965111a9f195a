/**
 * An SQS queue and the Lambda event source mapping in front of it, on a virtual clock: batches
 * of up to `batchSize` visible messages, each receive counted, a message received more than
 * `maxReceiveCount` times moved to the dead-letter queue, the items a partial batch response
 * names hidden for the visibility timeout, the rest deleted; an invocation that runs past the
 * function's timeout is killed, and its messages come back after the visibility timeout too.
 * One invocation at a time: enough to show what receives a handler burns, not a concurrency model.
 * Within an invocation, work that sleeps at once wakes in the order of its wake times.
 */
import type { BatchResponse } from '../../../functions/handlers/partial-batch.js';

export class Killed extends Error {
  constructor() {
    super('the invocation ran past its timeout and was stopped');
  }
}

interface Message {
  messageId: string;
  body: string;
  visibleAt: number;
  receives: number;
}

export interface EventSourceOptions {
  batchSize: number;
  visibilityTimeoutMs: number;
  maxReceiveCount: number;
  functionTimeoutMs: number;
}

export type SqsHandler = (
  event: { Records: Array<{ messageId: string; body: string }> },
  context: { getRemainingTimeInMillis(): number },
) => Promise<BatchResponse>;

export class VirtualClock {
  ms = 0;
  /** Set while an invocation runs: passing it stops the invocation, as Lambda stops a function at its timeout. */
  deadline = Infinity;

  private readonly sleepers: Array<{ at: number; wake: () => void }> = [];
  private waking = false;

  now = () => new Date(Date.UTC(2025, 5, 1, 8) + this.ms);

  /**
   * Wakes once every sleeper due before it has woken: the earliest wake time goes first, after
   * the work that is not sleeping has gone as far as it can (the promises settled before it).
   */
  sleep = async (ms: number) => {
    await new Promise<void>((wake) => {
      this.sleepers.push({ at: this.ms + ms, wake });
      this.wakeNext();
    });
    this.check();
  };

  private wakeNext(): void {
    if (this.waking) return;
    this.waking = true;
    setImmediate(() => {
      this.waking = false;
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift();
      if (!next) return;
      this.ms = Math.max(this.ms, next.at);
      next.wake();
      if (this.sleepers.length > 0) this.wakeNext();
    });
  }

  get pastDeadline(): boolean {
    return this.ms > this.deadline;
  }

  check(): void {
    if (this.pastDeadline) throw new Killed();
  }
}

/** `target` with every method failing once the clock passed the invocation's deadline: a stopped process writes nothing more. */
export function stoppedAtDeadline<T extends object>(target: T, clock: VirtualClock): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        clock.check();
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

export class SqsEventSource {
  readonly deadLetters: Message[] = [];
  invocations = 0;
  killed = 0;
  private readonly messages: Message[] = [];
  private ids = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly options: EventSourceOptions,
  ) {}

  send(body: string, delaySeconds = 0): void {
    this.messages.push({ messageId: `m${++this.ids}`, body, visibleAt: this.clock.ms + delaySeconds * 1000, receives: 0 });
  }

  get waiting(): number {
    return this.messages.length;
  }

  /** Delivers until the queue is empty (or `maxInvocations` ran, to stop a test that would never end). */
  async drain(handler: SqsHandler, maxInvocations = 1000): Promise<void> {
    while (this.messages.length > 0 && this.invocations < maxInvocations) {
      const batch = this.receive();
      if (batch.length === 0) {
        this.clock.ms = Math.min(...this.messages.map((m) => m.visibleAt));
        continue;
      }
      await this.invoke(handler, batch);
    }
  }

  private receive(): Message[] {
    const batch: Message[] = [];
    for (const message of [...this.messages]) {
      if (batch.length === this.options.batchSize) break;
      if (message.visibleAt > this.clock.ms) continue;
      if (message.receives >= this.options.maxReceiveCount) {
        this.messages.splice(this.messages.indexOf(message), 1);
        this.deadLetters.push(message);
        continue;
      }
      message.receives++;
      message.visibleAt = this.clock.ms + this.options.visibilityTimeoutMs;
      batch.push(message);
    }
    return batch;
  }

  private async invoke(handler: SqsHandler, batch: Message[]): Promise<void> {
    this.invocations++;
    const started = this.clock.ms;
    this.clock.deadline = started + this.options.functionTimeoutMs;
    const context = { getRemainingTimeInMillis: () => this.clock.deadline - this.clock.ms };
    try {
      const { batchItemFailures } = await handler({ Records: batch.map(({ messageId, body }) => ({ messageId, body })) }, context);
      this.clock.check();
      const again = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      for (const message of batch) if (!again.has(message.messageId)) this.messages.splice(this.messages.indexOf(message), 1);
    } catch (error) {
      if (!(error instanceof Killed)) throw error;
      this.killed++;
      this.clock.ms = this.clock.deadline;
    } finally {
      this.clock.deadline = Infinity;
    }
  }
}
