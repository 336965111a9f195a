import { describe, expect, it } from 'vitest';
import { BATCH_SIZE, planBatches } from '../../../functions/core/delivery/batches.js';

const recipients = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `id-${i}`, email: `r${i}@example.com` }));

describe('planBatches', () => {
  it.each([
    [0, []],
    [1, [1]],
    [50, [50]],
    [51, [50, 1]],
    [1000, Array(20).fill(50)],
    [1001, [...Array(20).fill(50), 1]],
  ])('cuts %i recipients into batches of %j', (count, sizes) => {
    expect(planBatches(recipients(count), 1).map((b) => b.recipients.length)).toEqual(sizes);
  });

  it('numbers batches from the given first number and keeps every recipient exactly once, in order', () => {
    const all = recipients(123);
    const batches = planBatches(all, 7);
    expect(batches.map((b) => b.batch)).toEqual([7, 8, 9]);
    expect(batches.flatMap((b) => b.recipients)).toEqual(all);
  });

  it.each([0, BATCH_SIZE + 1, 2.5])('refuses a batch size of %s', (size) => {
    expect(() => planBatches(recipients(3), 1, size)).toThrow(RangeError);
  });
});
