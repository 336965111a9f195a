import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriberStore } from '../../functions/adapters/dynamo-subscriber-store.js';
import { PressrunError } from '../../functions/core/errors.js';
import type { Subscriber, SubscriberStatus } from '../../functions/core/subscribers/ports.js';
import { subscriberId } from '../../functions/core/subscribers/email.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
let store: DynamoSubscriberStore;
beforeAll(async () => {
  aws = await startLocalAws();
  store = new DynamoSubscriberStore(aws.doc, aws.tableName);
});
afterAll(() => aws.close());

let n = 0;
function makeRecord(status: SubscriberStatus = 'pending'): Omit<Subscriber, 'version'> {
  const email = `reader-${++n}-${Date.now().toString(36)}@example.com`;
  return {
    id: subscriberId(email),
    email,
    status,
    source: 'form',
    createdAt: '2025-06-01T12:00:00.000Z',
    updatedAt: '2025-06-01T12:00:00.000Z',
  };
}

async function confirmedIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of store.confirmed()) ids.push(...page.map((s) => s.id));
  return ids;
}

describe('DynamoSubscriberStore', () => {
  it('creates a subscriber at version 1 and reads it back', async () => {
    const record = makeRecord();
    expect(await store.save(record, 0)).toEqual({ ...record, version: 1 });
    expect(await store.get(record.id)).toEqual({ ...record, version: 1 });
    expect(await store.get('missing-missing-missing')).toBeUndefined();
  });

  it('refuses to create a subscriber twice, and an update based on a stale version', async () => {
    const record = makeRecord();
    await store.save(record, 0);
    await expect(store.save(record, 0)).rejects.toMatchObject({ kind: 'conflict' });
    await store.save({ ...record, status: 'confirmed' }, 1);
    const stale = store.save({ ...record, status: 'unsubscribed' }, 1);
    await expect(stale).rejects.toBeInstanceOf(PressrunError);
    expect((await store.get(record.id))?.status).toBe('confirmed');
  });

  it('lists exactly the confirmed subscribers, following every change of status', async () => {
    const pending = makeRecord('pending');
    const confirmed = makeRecord('confirmed');
    await store.save(pending, 0);
    await store.save(confirmed, 0);
    let ids = await confirmedIds();
    expect(ids).toContain(confirmed.id);
    expect(ids).not.toContain(pending.id);

    await store.save({ ...pending, status: 'confirmed' }, 1);
    await store.save({ ...confirmed, status: 'unsubscribed' }, 1);
    ids = await confirmedIds();
    expect(ids).toContain(pending.id);
    expect(ids).not.toContain(confirmed.id);
  });

  it('reads many subscribers at once, leaving out the unknown', async () => {
    const a = makeRecord();
    const b = makeRecord('confirmed');
    await store.save(a, 0);
    await store.save(b, 0);
    const found = await store.getMany([a.id, b.id, 'unknown-unknown-unknown']);
    expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(found.get(b.id)?.status).toBe('confirmed');
  });
});
