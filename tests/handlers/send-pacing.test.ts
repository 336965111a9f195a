/**
 * The send worker behind SQS as the stack wires it (batches of 5 messages, a 2-minute timeout,
 * 12 minutes of visibility, a dead-letter queue after 5 receives), against a provider that
 * throttles anything above its account's rate: every reader gets one copy and no batch ends in
 * the dead-letter queue, in the SES sandbox (1 mail/s) as on a 500 mails/s account.
 */
import { describe, expect, it } from 'vitest';
import { batchMessage, mailMessage, readQueueMessage } from '../../functions/adapters/sqs-queue.js';
import type { Queue } from '../../functions/core/delivery/ports.js';
import { startDigestSend } from '../../functions/core/delivery/start-send.js';
import { MailerError } from '../../functions/core/mail/mailer-error.js';
import type { Mailer, MailMessage } from '../../functions/core/mail/ports.js';
import { sendMessages } from '../../functions/handlers/send-messages.js';
import { createSender } from '../../functions/wiring/delivery.js';
import { seedConfirmed, storeDigest, TOKEN_SECRET } from '../support/delivery-data.js';
import { makeMailMessage, makeMailSettings, makeSite } from '../support/factories.js';
import { RecordingMailer } from '../support/fakes/mailer.js';
import { inMemoryDeliveryStores, inMemoryRounds } from '../support/in-memory-delivery.js';
import { SqsEventSource, stoppedAtDeadline, VirtualClock } from '../support/fakes/sqs-event-source.js';

/** A provider with an account's maximum send rate: a call beyond it in any second is throttled, as SES does. */
class RateLimitedProvider implements Mailer {
  readonly recording = new RecordingMailer();
  private readonly sentAt: number[] = [];
  throttled = 0;

  constructor(
    private readonly perSecond: number,
    private readonly clock: VirtualClock,
  ) {}

  async send(message: MailMessage): Promise<{ messageId: string }> {
    this.clock.check();
    const inLastSecond = this.sentAt.filter((t) => t > this.clock.ms - 1000).length;
    if (inLastSecond >= this.perSecond) {
      this.throttled++;
      throw new MailerError('throttled', 'ThrottlingException: Maximum sending rate exceeded.');
    }
    this.sentAt.push(this.clock.ms);
    return this.recording.send(message);
  }
}

async function sendThroughSqs(accountRate: number, readers: number) {
  const clock = new VirtualClock();
  const source = new SqsEventSource(clock, {
    batchSize: 5,
    visibilityTimeoutMs: 12 * 60_000,
    maxReceiveCount: 5,
    functionTimeoutMs: 120_000,
  });
  const queue: Queue = {
    enqueue: async (refs, options) => refs.forEach((ref) => source.send(batchMessage(ref), options?.delaySeconds)),
  };
  const stores = inMemoryDeliveryStores();
  const people = await seedConfirmed(stores.subscribers, readers, `rate-${accountRate}`);
  await storeDigest(stores.digests, '2025-06-01-paced');
  let ids = 0;
  const rounds = inMemoryRounds(stores, makeSite());
  await startDigestSend({ ...stores, rounds, queue, now: clock.now, newId: () => `owner-${++ids}` }, '2025-06-01-paced');

  const provider = new RateLimitedProvider(accountRate, clock);
  const sender = createSender(
    { site: makeSite(), mail: makeMailSettings(), tokenSecret: TOKEN_SECRET },
    { ...stores, ledger: stoppedAtDeadline(stores.ledger, clock) },
    provider,
    { now: clock.now, sleep: clock.sleep, queue, workerOptions: { ratePerSecond: accountRate } },
  );
  await source.drain(sendMessages({ readMessage: readQueueMessage, sender: async () => sender }, () => {}));
  return { people, source, provider, clock };
}

/** What a reader and an operator expect of any send: one copy each, nothing dead-lettered or cut off, never throttled. */
function expectEachReaderOnce({ people, source, provider }: Awaited<ReturnType<typeof sendThroughSqs>>) {
  expect(source.deadLetters).toEqual([]);
  expect(source.killed).toBe(0);
  const deliveries = provider.recording.deliveries();
  expect(deliveries.size).toBe(people.length);
  expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
  expect(provider.throttled).toBe(0);
}

describe('sending at the account’s rate through SQS', () => {
  it('in the SES sandbox (1 mail/s), 250 readers in batches of 50: each gets one copy, nothing dead-lettered, no invocation killed', async () => {
    const sent = await sendThroughSqs(1, 250);
    expectEachReaderOnce(sent);
    // 250 mails at 1 a second cannot be sent by fewer than three 2-minute invocations.
    expect(sent.source.invocations).toBeGreaterThanOrEqual(3);
  });

  it('on a 500 mails/s account, 2,000 readers: each gets one copy, nothing dead-lettered, never over the rate', async () => {
    const sent = await sendThroughSqs(500, 2_000);
    expectEachReaderOnce(sent);
    // At 500 a second, 2,000 mails take four seconds, not minutes.
    expect(sent.clock.ms).toBeLessThan(10_000);
  });

  it('in the SES sandbox, a burst of 12 confirmations through the mail queue: each mailed once, none throttled or dead-lettered', async () => {
    const clock = new VirtualClock();
    const source = new SqsEventSource(clock, {
      batchSize: 10,
      visibilityTimeoutMs: 12 * 60_000,
      maxReceiveCount: 5,
      functionTimeoutMs: 120_000,
    });
    const stores = inMemoryDeliveryStores();
    const provider = new RateLimitedProvider(1, clock);
    const sender = createSender({ site: makeSite(), mail: makeMailSettings(), tokenSecret: TOKEN_SECRET }, stores, provider, {
      now: clock.now,
      sleep: clock.sleep,
      workerOptions: { ratePerSecond: 1 },
    });
    for (let i = 0; i < 12; i++) source.send(mailMessage({ id: `confirm-${i}`, message: makeMailMessage({ to: `new-${i}@example.com` }) }));
    await source.drain(sendMessages({ readMessage: readQueueMessage, sender: async () => sender }, () => {}));

    expect(source.deadLetters).toEqual([]);
    expect(provider.throttled).toBe(0);
    expect(provider.recording.deliveries().size).toBe(12);
    expect([...provider.recording.deliveries().values()].every((n) => n === 1)).toBe(true);
  });
});
