import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/config.js';
import { subscriberId } from '../../functions/core/subscribers/email.js';
import { notificationSuppressor, resolveTokenSecret } from '../../functions/wiring/delivery.js';
import { deliveryHarness, makeDeliveryConfig } from '../support/delivery-harness.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

describe('notificationSuppressor (what an SES event does)', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(() => aws.close());

  const suppressAll = async (suppressFrom: (m: string) => Promise<number>, ...messages: object[]) => {
    let suppressed = 0;
    for (const m of messages) suppressed += await suppressFrom(JSON.stringify(m));
    return { suppressed };
  };
  const bounce = (email: string, bounceType = 'Permanent') => ({
    eventType: 'Bounce',
    bounce: { bounceType, bouncedRecipients: [{ emailAddress: email }] },
  });
  const complaint = (email: string) => ({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: email }] } });

  it('suppresses hard bounces and complaints for good; duplicates and late events are harmless', async () => {
    const { stores } = deliveryHarness(aws);
    const suppressFrom = notificationSuppressor(stores);
    const at = '2025-06-01T08:00:00.000Z';
    await stores.subscribers.save(
      {
        id: subscriberId('reader@example.com'),
        email: 'reader@example.com',
        status: 'confirmed',
        source: 'form',
        createdAt: at,
        updatedAt: at,
      },
      0,
    );

    expect(await suppressAll(suppressFrom, bounce('Reader@Example.com'), bounce('soft@example.com', 'Transient'))).toEqual({
      suppressed: 1,
    });
    expect(
      await suppressAll(suppressFrom, bounce('reader@example.com'), complaint('reader@example.com'), bounce('reader@example.com')),
    ).toEqual({ suppressed: 1 });
    expect((await stores.subscribers.get(subscriberId('reader@example.com')))?.status).toBe('complained');
    expect(await stores.subscribers.get(subscriberId('soft@example.com'))).toBeUndefined();

    // An address we never knew (a test send, say) is remembered as suppressed.
    await suppressFrom(JSON.stringify(complaint('stranger@example.com')));
    expect((await stores.subscribers.get(subscriberId('stranger@example.com')))?.status).toBe('complained');
  });

  it('counts a digest mail’s hard bounce against that digest’s send in the ledger, once', async () => {
    const { stores } = deliveryHarness(aws);
    const suppressFrom = notificationSuppressor(stores);
    const digestId = '2025-06-01-wired-feedback';
    await stores.ledger.openJob(digestId, 'owner', new Date(), new Date());
    const tagged = { ...bounce('tagged@example.com'), mail: { tags: { kind: ['digest'], digest: [digestId] } } };
    expect(await suppressAll(suppressFrom, tagged, tagged)).toEqual({ suppressed: 1 });
    expect((await stores.ledger.getJob(digestId))?.counts).toEqual({ sent: 0, bounces: 1, complaints: 0 });
  });
});

describe('resolveTokenSecret', () => {
  it('takes the secret from the configuration, or from the secret it names', async () => {
    expect(await resolveTokenSecret(makeDeliveryConfig({ tokenSecret: { value: 'x'.repeat(40) } }))).toBe('x'.repeat(40));
    const secrets = { get: async (id: string) => (id === 'pressrun/token' ? 'y'.repeat(48) : '') };
    expect(await resolveTokenSecret(makeDeliveryConfig({ tokenSecret: { secretId: 'pressrun/token' } }), secrets)).toBe('y'.repeat(48));
  });

  it('refuses a named secret that is too short, or that cannot be read here', async () => {
    const secrets = { get: async () => 'short' };
    await expect(resolveTokenSecret(makeDeliveryConfig({ tokenSecret: { secretId: 'pressrun/token' } }), secrets)).rejects.toBeInstanceOf(
      ConfigError,
    );
    await expect(resolveTokenSecret(makeDeliveryConfig({ tokenSecret: { secretId: 'pressrun/token' } }))).rejects.toBeInstanceOf(
      ConfigError,
    );
  });
});
