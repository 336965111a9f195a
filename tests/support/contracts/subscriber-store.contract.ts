/**
 * What every SubscriberStore does (functions/core/subscribers/ports.ts), run against
 * DynamoSubscriberStore on dynalite and against the in-memory fake by
 * tests/adapters/subscriber-store.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PressrunError } from '../../../functions/core/errors.js';
import type { Subscriber, SubscriberStatus, SubscriberStore } from '../../../functions/core/subscribers/ports.js';
import { makeSubscriber } from '../factories.js';

/** A subscriber as written by a caller: the store adds the version. */
function makeRecord(status: SubscriberStatus = 'pending'): Omit<Subscriber, 'version'> {
  const { version: _version, ...record } = makeSubscriber({ status });
  return record;
}

async function confirmedIds(store: SubscriberStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of store.confirmed()) ids.push(...page.map((s) => s.id));
  return ids;
}

/** @param freshStore an empty store of its own for every test. */
export function describeSubscriberStoreContract(name: string, freshStore: () => Promise<SubscriberStore>): void {
  describe(`${name} as a SubscriberStore`, () => {
    it('creates a subscriber at version 1 and reads it back', async () => {
      const store = await freshStore();
      const record = makeRecord();
      expect(await store.save(record, 0)).toEqual({ ...record, version: 1 });
      expect(await store.get(record.id)).toEqual({ ...record, version: 1 });
      expect(await store.get('missing-missing-missing')).toBeUndefined();
    });

    it('refuses to create a subscriber twice, and an update based on a stale version', async () => {
      const store = await freshStore();
      const record = makeRecord();
      await store.save(record, 0);
      await expect(store.save(record, 0)).rejects.toMatchObject({ kind: 'conflict' });
      await store.save({ ...record, status: 'confirmed' }, 1);
      const stale = store.save({ ...record, status: 'unsubscribed' }, 1);
      await expect(stale).rejects.toBeInstanceOf(PressrunError);
      await expect(stale).rejects.toMatchObject({ kind: 'conflict', problems: [{ field: 'version' }] });
      expect((await store.get(record.id))?.status).toBe('confirmed');
    });

    it('lets exactly one of two concurrent first saves of one subscriber win', async () => {
      const store = await freshStore();
      const record = makeRecord();

      const results = await Promise.allSettled([store.save({ ...record, source: 'form' }, 0), store.save({ ...record, source: 'api' }, 0)]);

      const won = results.filter((result) => result.status === 'fulfilled');
      const lost = results.filter((result) => result.status === 'rejected');
      expect([won.length, lost.length]).toEqual([1, 1]);
      expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ kind: 'conflict' });
      expect(await store.get(record.id)).toEqual((won[0] as PromiseFulfilledResult<Subscriber>).value);
    });

    it('lists exactly the confirmed subscribers, following every change of status', async () => {
      const store = await freshStore();
      const pending = makeRecord('pending');
      const confirmed = makeRecord('confirmed');
      await store.save(pending, 0);
      await store.save(confirmed, 0);
      let ids = await confirmedIds(store);
      expect(ids).toContain(confirmed.id);
      expect(ids).not.toContain(pending.id);

      await store.save({ ...pending, status: 'confirmed' }, 1);
      await store.save({ ...confirmed, status: 'unsubscribed' }, 1);
      ids = await confirmedIds(store);
      expect(ids).toContain(pending.id);
      expect(ids).not.toContain(confirmed.id);
    });

    it('lists the confirmed subscribers in id order, and from after a given id', async () => {
      const store = await freshStore();
      for (let i = 0; i < 5; i++) await store.save({ ...makeRecord('confirmed'), id: `sub-${i}`, email: `r${i}@example.com` }, 0);
      expect(await confirmedIds(store)).toEqual(['sub-0', 'sub-1', 'sub-2', 'sub-3', 'sub-4']);
      const after: string[] = [];
      for await (const page of store.confirmed({ after: 'sub-2' })) after.push(...page.map((s) => s.id));
      expect(after).toEqual(['sub-3', 'sub-4']);
    });

    it('lists the confirmed subscribers of one range of ids, as a segment of a send reads them', async () => {
      const store = await freshStore();
      for (const id of ['Aa', 'Bb', 'Bz', 'Cc', 'Dd']) await store.save({ ...makeRecord('confirmed'), id, email: `${id}@example.com` }, 0);
      const read = async (range: { from?: string; before?: string; after?: string }) => {
        const ids: string[] = [];
        for await (const page of store.confirmed(range)) ids.push(...page.map((s) => s.id));
        return ids;
      };
      expect(await read({ from: 'B', before: 'C' })).toEqual(['Bb', 'Bz']);
      expect(await read({ before: 'B' })).toEqual(['Aa']);
      expect(await read({ from: 'C' })).toEqual(['Cc', 'Dd']);
      // Resumed inside a segment: after the last one planned, still within its end.
      expect(await read({ after: 'Bb', before: 'C' })).toEqual(['Bz']);
    });

    it('reads many subscribers at once, leaving out the unknown', async () => {
      const store = await freshStore();
      const a = makeRecord();
      const b = makeRecord('confirmed');
      await store.save(a, 0);
      await store.save(b, 0);
      const found = await store.getMany([a.id, b.id, 'unknown-unknown-unknown']);
      expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
      expect(found.get(b.id)?.status).toBe('confirmed');
    });

    it('reads where many subscribers stand (status and subscription) and nothing else of them, leaving out the unknown', async () => {
      const store = await freshStore();
      const a = { ...makeRecord('confirmed'), generation: 3 };
      const b = makeRecord('unsubscribed');
      await store.save(a, 0);
      await store.save(b, 0);
      const found = await store.standings([a.id, b.id, 'unknown-unknown-unknown']);
      expect(Object.fromEntries(found)).toEqual({
        [a.id]: { id: a.id, status: 'confirmed', generation: 3 },
        [b.id]: { id: b.id, status: 'unsubscribed' },
      });
    });
  });
}
