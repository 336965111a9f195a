import { describe, expect, it } from 'vitest';
import type { BatchReport } from '../../functions/core/delivery/send-batch.js';
import type { SendBatchRef } from '../../functions/core/delivery/ports.js';
import { InProcessSendQueue } from '../../functions/local/send-queue.js';

const report = (outcome: BatchReport['outcome']): BatchReport => ({
  outcome,
  sent: outcome === 'sent' ? 1 : 0,
  failed: 0,
  suppressed: 0,
  unknown: 0,
});
const refs = (n: number): SendBatchRef[] => Array.from({ length: n }, (_, i) => ({ digestId: 'd', batch: i + 1 }));

describe('InProcessSendQueue', () => {
  it('runs every batch, a few at a time', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const queue = new InProcessSendQueue({
      concurrency: 3,
      worker: async (ref) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        done.push(ref.batch);
        return report('sent');
      },
    });
    await queue.enqueue(refs(10));
    await queue.idle();
    expect(done.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(most).toBe(3);
  });

  it('delivers a busy, deferred or failing batch again after a delay, and gives up after maxReceives', async () => {
    const deliveries = new Map<number, number>();
    const lines: string[] = [];
    const queue = new InProcessSendQueue({
      retryDelayMs: 1,
      maxReceives: 4,
      log: (line) => lines.push(line),
      worker: async (ref) => {
        const n = (deliveries.get(ref.batch) ?? 0) + 1;
        deliveries.set(ref.batch, n);
        if (ref.batch === 1) return report(n < 2 ? 'busy' : 'sent');
        if (ref.batch === 2) return report(n < 3 ? 'deferred' : 'sent');
        if (ref.batch === 3 && n < 2) throw new Error('worker failed');
        if (ref.batch === 4) return report('deferred');
        return report('sent');
      },
    });
    await queue.enqueue(refs(4));
    await queue.idle();
    expect(Object.fromEntries(deliveries)).toEqual({ 1: 2, 2: 3, 3: 2, 4: 4 });
    expect(lines.some((l) => l.includes('batch 4: given up after 4 deliveries'))).toBe(true);
  });

  it('drops a batch of a stopped send, saying why and how to resume it', async () => {
    const deliveries: number[] = [];
    const lines: string[] = [];
    const queue = new InProcessSendQueue({
      retryDelayMs: 1,
      log: (line) => lines.push(line),
      worker: async (ref) => (deliveries.push(ref.batch), { ...report('stopped'), reason: 'hard-bounce rate 6% (12 of 200) is over 5%' }),
    });
    await queue.enqueue(refs(1));
    await queue.idle();
    expect(deliveries).toEqual([1]);
    expect(lines).toEqual([
      'send d batch 1: stopped: hard-bounce rate 6% (12 of 200) is over 5%; POST /api/digests/d/resume once it is looked into',
    ]);
  });

  it('drops what would come back later once closed', async () => {
    let deliveries = 0;
    const queue = new InProcessSendQueue({ retryDelayMs: 60_000, worker: async () => (deliveries++, report('deferred')) });
    await queue.enqueue(refs(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await queue.close();
    await queue.idle();
    expect(deliveries).toBe(1);
    await expect(queue.enqueue(refs(1))).rejects.toThrow(/closed/);
  });
});

describe('InProcessSendQueue and a batch another claim holds', () => {
  it('delivers it again, without counting, until the claim ends, however long past maxReceives that is', async () => {
    let deliveries = 0;
    const queue = new InProcessSendQueue({
      retryDelayMs: 1,
      maxReceives: 3,
      worker: async () => report(++deliveries < 8 ? 'busy' : 'sent'),
    });
    await queue.enqueue(refs(1));
    await queue.idle();
    expect(deliveries).toBe(8);
  });
});
