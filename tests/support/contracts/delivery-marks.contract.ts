/**
 * What every DeliveryMarks does (functions/core/delivery/ports.ts), run against
 * DynamoDeliveryMarks on dynalite and against the in-memory fake by tests/adapters/dynamo-delivery-marks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryMarks, ReaderMark } from '../../../functions/core/delivery/ports.js';

const mark = (through: string, send = 'round-20250601T0800'): ReaderMark => ({
  through,
  send,
  at: '2025-06-01T08:00:00.000Z',
  to: through,
  generation: 1,
});

/** @param freshMarks a store with nothing in it, for every test. */
export function describeDeliveryMarksContract(name: string, freshMarks: () => Promise<DeliveryMarks>): void {
  describe(`${name} as DeliveryMarks`, () => {
    it('reads back the marks it was given, and nothing for readers without one', async () => {
      const marks = await freshMarks();
      const many = Array.from({ length: 60 }, (_, i) => ({
        id: `reader-${i}`,
        mark: mark(`2025-06-01T07:${String(i).padStart(2, '0')}:00.000Z`),
      }));
      await marks.setReaders(many);
      const read = await marks.readers([...many.map((m) => m.id), 'nobody']);
      expect(read.size).toBe(60);
      expect(read.get('reader-42')).toEqual(many[42]!.mark);
      expect(read.has('nobody')).toBe(false);
    });

    it('replaces a reader’s mark with the next one', async () => {
      const marks = await freshMarks();
      await marks.setReaders([{ id: 'r', mark: mark('2025-06-01T07:00:00.000Z') }]);
      await marks.setReaders([{ id: 'r', mark: { ...mark('2025-06-02T07:00:00.000Z'), carried: ['a1'] } }]);
      expect((await marks.readers(['r'])).get('r')).toEqual({ ...mark('2025-06-02T07:00:00.000Z'), carried: ['a1'] });
    });

    it('keeps the first placement an article was mailed at, whatever is offered later', async () => {
      const marks = await freshMarks();
      await marks.offer([{ id: 'a1', placed: '2025-06-01T07:00:00.000Z' }]);
      await marks.offer([
        { id: 'a1', placed: '2025-06-03T07:00:00.000Z' },
        { id: 'a2', placed: '2025-06-03T07:00:00.000Z' },
      ]);
      const offered = await marks.offered(['a1', 'a2', 'a3']);
      expect(Object.fromEntries(offered)).toEqual({ a1: '2025-06-01T07:00:00.000Z', a2: '2025-06-03T07:00:00.000Z' });
    });

    it('remembers when the last round was planned', async () => {
      const marks = await freshMarks();
      expect(await marks.lastTick()).toBeUndefined();
      await marks.setLastTick('2025-06-01T08:05:00.000Z');
      expect(await marks.lastTick()).toBe('2025-06-01T08:05:00.000Z');
    });
  });
}
