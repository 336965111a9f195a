import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchMessage, mailMessage } from '../functions/adapters/sqs-queue.js';
import { handleSendMessages, handleSesNotifications, resolveTokenSecret } from '../functions/compose-delivery.js';
import { ConfigError } from '../functions/config.js';
import type { BatchReport } from '../functions/core/delivery/send-batch.js';
import type { QueuedMailOutcome } from '../functions/core/delivery/queued-mail.js';
import type { QueuedMail, SendBatchRef } from '../functions/core/delivery/ports.js';
import { subscriberId } from '../functions/core/subscribers/email.js';
import { deliveryHarness, makeDeliveryConfig } from './support/delivery-harness.js';
import { startLocalAws, type LocalAws } from './support/local-aws.js';

const report = (outcome: BatchReport['outcome']): BatchReport => ({ outcome, sent: 0, failed: 0, suppressed: 0, unknown: 0 });
const record = (messageId: string, body: string) => ({ messageId, body });
const unexpected = () => Promise.reject(new Error('not this kind of message'));

describe('handleSendMessages (the send worker’s SQS handler)', () => {
  it('returns to the queue exactly the batches that are busy, deferred, failing or unreadable', async () => {
    const outcomes: Record<number, BatchReport['outcome'] | 'throw'> = {
      1: 'sent',
      2: 'already-done',
      3: 'busy',
      4: 'deferred',
      5: 'throw',
    };
    const seen: SendBatchRef[] = [];
    const worker = async (ref: SendBatchRef) => {
      seen.push(ref);
      const outcome = outcomes[ref.batch]!;
      if (outcome === 'throw') throw new Error('DynamoDB is down');
      return report(outcome);
    };
    const event = {
      Records: [1, 2, 3, 4, 5]
        .map((batch) => record(`m${batch}`, batchMessage({ digestId: 'd', batch })))
        .concat([record('m6', '{"nope":true}'), record('m7', 'not json')]),
    };
    const response = await handleSendMessages({ worker, sendQueued: unexpected }, event, () => {});
    expect(response).toEqual({ batchItemFailures: ['m3', 'm4', 'm5', 'm6', 'm7'].map((itemIdentifier) => ({ itemIdentifier })) });
    expect(seen.map((r) => r.batch)).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns to the queue exactly the queued mails the provider did not take, and never logs their address', async () => {
    const outcomes: Record<string, QueuedMailOutcome | 'throw'> = {
      a: 'sent',
      b: 'already-handled',
      c: 'deferred',
      d: 'rejected',
      e: 'unknown',
      f: 'throw',
    };
    const seen: string[] = [];
    const sendQueued = async (mail: QueuedMail) => {
      seen.push(mail.id);
      const outcome = outcomes[mail.id]!;
      if (outcome === 'throw') throw new Error('DynamoDB is down');
      return outcome;
    };
    const mail = (id: string): QueuedMail => ({
      id,
      message: { from: 'news@example.com', to: `${id}@example.org`, subject: 'Confirm', html: '<p>Hi</p>', text: 'Hi', headers: {} },
    });
    const incomplete = JSON.stringify({ mail: { id: 'g', message: { to: 'g@example.org' } } });
    const event = {
      Records: Object.keys(outcomes)
        .map((id) => record(`m-${id}`, mailMessage(mail(id))))
        .concat([record('m-g', incomplete)]),
    };
    const lines: string[] = [];
    const response = await handleSendMessages({ worker: unexpected, sendQueued }, event, (line) => lines.push(line));
    expect(response).toEqual({ batchItemFailures: ['m-c', 'm-f', 'm-g'].map((itemIdentifier) => ({ itemIdentifier })) });
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(lines).toContain('mail a: sent');
    expect(lines.join('\n')).not.toContain('@example.org');
  });
});

describe('handleSesNotifications (the SES events handler)', () => {
  let aws: LocalAws;
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(() => aws.close());

  const sns = (...messages: object[]) => ({
    Records: messages.map((m, i) => ({ Sns: { MessageId: `sns-${i}`, Message: JSON.stringify(m) } })),
  });
  const bounce = (email: string, bounceType = 'Permanent') => ({
    eventType: 'Bounce',
    bounce: { bounceType, bouncedRecipients: [{ emailAddress: email }] },
  });
  const complaint = (email: string) => ({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: email }] } });

  it('suppresses hard bounces and complaints for good; duplicates and late events are harmless', async () => {
    const { stores } = deliveryHarness(aws);
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

    expect(await handleSesNotifications(stores, sns(bounce('Reader@Example.com'), bounce('soft@example.com', 'Transient')))).toEqual({
      suppressed: 1,
    });
    expect(
      await handleSesNotifications(
        stores,
        sns(bounce('reader@example.com'), complaint('reader@example.com'), bounce('reader@example.com')),
      ),
    ).toEqual({ suppressed: 1 });
    expect((await stores.subscribers.get(subscriberId('reader@example.com')))?.status).toBe('complained');
    expect(await stores.subscribers.get(subscriberId('soft@example.com'))).toBeUndefined();

    // An address we never knew (a test send, say) is remembered as suppressed.
    await handleSesNotifications(stores, sns(complaint('stranger@example.com')));
    expect((await stores.subscribers.get(subscriberId('stranger@example.com')))?.status).toBe('complained');
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
