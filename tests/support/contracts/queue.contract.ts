/**
 * What every Queue does (functions/core/delivery/ports.ts): every batch it is given reaches the
 * workers. Run against SqsQueue on an SQS stand-in and against the recording fake by
 * tests/adapters/sqs-queue.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Queue, SendBatchRef } from '../../../functions/core/delivery/ports.js';

export interface QueueUnderTest {
  queue: Queue;
  /** The batches handed to the workers so far, in the order they were queued. */
  handedOver(): Promise<SendBatchRef[]>;
}

const refs = (digestId: string, count: number): SendBatchRef[] => Array.from({ length: count }, (_, i) => ({ digestId, batch: i + 1 }));

/** @param freshQueue an empty queue of its own for every test. */
export function describeQueueContract(name: string, freshQueue: () => Promise<QueueUnderTest>): void {
  describe(`${name} as a Queue`, () => {
    it('hands every batch to the workers, however many there are', async () => {
      const { queue, handedOver } = await freshQueue();
      const batches = refs('2025-06-01-queue', 23);

      await queue.enqueue(batches);

      expect(await handedOver()).toEqual(batches);
    });

    it('hands a batch over again when it is queued again', async () => {
      const { queue, handedOver } = await freshQueue();
      const [first] = refs('2025-06-01-again', 1);

      await queue.enqueue([first!]);
      await queue.enqueue([first!]);

      expect(await handedOver()).toEqual([first, first]);
    });

    it('hands nothing over for no batches', async () => {
      const { queue, handedOver } = await freshQueue();

      await queue.enqueue([]);

      expect(await handedOver()).toEqual([]);
    });
  });
}
