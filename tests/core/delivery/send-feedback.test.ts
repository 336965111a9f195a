import { describe, expect, it } from 'vitest';
import { recordSesFeedback } from '../../../functions/core/delivery/send-feedback.js';
import { subscriberId } from '../../../functions/core/subscribers/email.js';
import { seedConfirmed } from '../../support/delivery-data.js';
import { inMemoryDeliveryStores } from '../../support/in-memory-delivery.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');
const DIGEST = '2025-06-01-feedback';

const tags = (kind: string, digest = DIGEST) => ({ kind: [kind], digest: [digest] });
const bounce = (email: string, mailTags: object = tags('digest'), bounceType = 'Permanent') =>
  JSON.stringify({ eventType: 'Bounce', bounce: { bounceType, bouncedRecipients: [{ emailAddress: email }] }, mail: { tags: mailTags } });
const complaint = (email: string, mailTags: object = tags('digest')) =>
  JSON.stringify({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: email }] }, mail: { tags: mailTags } });

async function setUp() {
  const stores = inMemoryDeliveryStores();
  const people = await seedConfirmed(stores.subscribers, 6, 'feedback');
  await stores.ledger.openJob(DIGEST, 'owner', NOW, NOW);
  const record = (notification: string) => recordSesFeedback({ ...stores, now: () => NOW }, notification);
  const counts = async () => (await stores.ledger.getJob(DIGEST))?.counts;
  return { stores, people, record, counts };
}

describe('SES feedback on a digest’s send', () => {
  it('counts each hard bounce and complaint against the digest the mail’s tags name, and suppresses the address', async () => {
    const { stores, people, record, counts } = await setUp();
    expect(await record(bounce(people[0]!.email))).toEqual({ suppressed: 1 });
    await record(bounce(people[1]!.email));
    await record(complaint(people[2]!.email));
    expect(await counts()).toEqual({ sent: 0, bounces: 2, complaints: 1 });
    expect((await stores.subscribers.get(people[0]!.id))?.status).toBe('bounced');
    expect((await stores.subscribers.get(people[2]!.id))?.status).toBe('complained');
  });

  it('counts an address once however often SNS delivers the event', async () => {
    const { people, record, counts } = await setUp();
    for (let i = 0; i < 3; i++) await record(bounce(people[0]!.email));
    await record(complaint(people[1]!.email));
    await record(complaint(people[1]!.email));
    expect(await counts()).toEqual({ sent: 0, bounces: 1, complaints: 1 });
  });

  it('counts nothing for a soft bounce, a test copy, a mail without a digest tag, or a digest never sent', async () => {
    const { stores, people, record, counts } = await setUp();
    await record(bounce(people[0]!.email, tags('digest'), 'Transient'));
    await record(bounce(people[1]!.email, tags('digest-test')));
    await record(bounce(people[2]!.email, { kind: ['confirmation'] }));
    await record(complaint(people[3]!.email, {}));
    await record(bounce(people[4]!.email, tags('digest', '2025-06-01-never-sent')));
    expect(await counts()).toBeUndefined();
    expect(await stores.ledger.getJob('2025-06-01-never-sent')).toBeUndefined();
    // Suppressed all the same, but the soft bounce.
    expect((await stores.subscribers.get(people[0]!.id))?.status).toBe('confirmed');
    for (const p of people.slice(1, 5)) expect((await stores.subscribers.get(p.id))?.status).not.toBe('confirmed');
    expect(await stores.subscribers.get(subscriberId('nobody@example.com'))).toBeUndefined();
  });
});
