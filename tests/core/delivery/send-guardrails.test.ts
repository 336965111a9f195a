/**
 * The sending guardrails: a send pauses itself when its hard-bounce or complaint rate passes
 * its threshold, says why in its progress, and resumes from the ledger without repeating
 * anyone. Bounces and complaints are injected between batches through the real SES-events
 * use case, built from the tags the provider (the RecordingMailer) was given.
 */
import { describe, expect, it } from 'vitest';
import { recordSesFeedback } from '../../../functions/core/delivery/send-feedback.js';
import type { SendBatchRef } from '../../../functions/core/delivery/ports.js';
import type { WorkerOptions } from '../../../functions/core/delivery/send-batch.js';
import type { MailMessage } from '../../../functions/core/mail/ports.js';
import { seedConfirmed, storeDigest } from '../../support/delivery-data.js';
import { inMemoryDelivery, type InMemoryDelivery } from '../../support/in-memory-delivery.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');

/** The SES event a configuration set publishes for one mail: its tags come back as lists. */
function sesEvent(kind: 'Bounce' | 'Complaint', message: MailMessage): string {
  const mail = { destination: [message.to], tags: Object.fromEntries(Object.entries(message.tags ?? {}).map(([k, v]) => [k, [v]])) };
  const to = [{ emailAddress: message.to }];
  return JSON.stringify(
    kind === 'Bounce'
      ? { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: to }, mail }
      : { eventType: 'Complaint', complaint: { complainedRecipients: to }, mail },
  );
}

async function digestSend(readers: number, digestId: string, workerOptions: Partial<WorkerOptions> = {}) {
  const harness = inMemoryDelivery({ now: () => NOW, workerOptions });
  await seedConfirmed(harness.stores.subscribers, readers, digestId);
  await storeDigest(harness.stores.digests, digestId);
  await harness.startSend(digestId);
  return harness;
}

/**
 * Runs the queued batches one after another; after each, SES reports `feedback` for the
 * messages that batch mailed. The reports, in order.
 */
async function runQueued(harness: InMemoryDelivery, feedback: (message: MailMessage, n: number) => 'Bounce' | 'Complaint' | undefined) {
  const outcomes = [];
  let n = harness.mailer.accepted.length;
  for (const ref of harness.queue.take() as SendBatchRef[]) {
    outcomes.push(await harness.worker(ref));
    for (const { message } of harness.mailer.accepted.slice(n)) {
      const kind = feedback(message, n++);
      if (kind) await recordSesFeedback({ ...harness.stores, now: () => NOW }, sesEvent(kind, message));
    }
  }
  return outcomes;
}

const everyTenth = (message: MailMessage, n: number) => (n % 10 === 0 ? ('Bounce' as const) : undefined);

describe('the bounce guardrail', () => {
  it('pauses a send once its hard-bounce rate passes 5%, counted from 200 mails on, and says why', async () => {
    const harness = await digestSend(600, '2025-06-01-bouncy');
    const reports = await runQueued(harness, everyTenth);
    // 10% of each batch bounces; the rate is judged from the fifth batch on, which is not sent.
    expect(reports.map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent', 'sent', ...Array(8).fill('stopped')]);
    expect(reports[4]!.reason).toBe('hard-bounce rate 10% (20 of 200) is over 5%');
    expect(harness.mailer.accepted).toHaveLength(200);
    const progress = await harness.progress('2025-06-01-bouncy');
    expect(progress).toMatchObject({ status: 'stopped', sent: 200, pending: 400 });
    expect(progress.stopped?.reason).toBe('hard-bounce rate 10% (20 of 200) is over 5%');
  });

  it('resumes from the ledger: the rest are mailed, nobody twice, the bounced never again', async () => {
    const harness = await digestSend(600, '2025-06-01-resumed');
    await runQueued(harness, everyTenth);
    const bounced = new Set(harness.mailer.accepted.filter((_m, n) => n % 10 === 0).map((m) => m.message.to));
    expect(bounced.size).toBe(20);

    const resumed = await harness.resumeSend('2025-06-01-resumed');
    expect(resumed.enqueued).toBe(8);
    // Counted from the resume on: the old bounces do not stop it again.
    const reports = await runQueued(harness, () => undefined);
    expect(reports.map((r) => r.outcome)).toEqual(Array(8).fill('sent'));
    expect(await harness.progress('2025-06-01-resumed')).toMatchObject({ status: 'sent', sent: 600, pending: 0 });
    const deliveries = harness.mailer.deliveries();
    expect(deliveries.size).toBe(600);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    for (const address of bounced) expect(deliveries.get(address)).toBe(1);
  });

  it('pauses a resumed send again when the bounces go on, judged on the mails since the resume', async () => {
    const harness = await digestSend(900, '2025-06-01-again');
    await runQueued(harness, everyTenth);
    await harness.resumeSend('2025-06-01-again');
    const reports = await runQueued(harness, everyTenth);
    expect(reports.map((r) => r.outcome).slice(0, 5)).toEqual(['sent', 'sent', 'sent', 'sent', 'stopped']);
    expect(reports[4]!.reason).toBe('hard-bounce rate 10% (20 of 200) is over 5%');
    expect(harness.mailer.accepted).toHaveLength(400);
  });

  it('takes its threshold and sample from the options', async () => {
    const lenient = await digestSend(300, '2025-06-01-lenient', { maxBounceRate: 0.2 });
    expect((await runQueued(lenient, everyTenth)).every((r) => r.outcome === 'sent')).toBe(true);
    const strict = await digestSend(300, '2025-06-01-strict', { minSample: 50 });
    const reports = await runQueued(strict, everyTenth);
    expect(reports.map((r) => r.outcome)).toEqual(['sent', 'stopped', 'stopped', 'stopped', 'stopped', 'stopped']);
    expect(reports[1]!.reason).toBe('hard-bounce rate 10% (5 of 50) is over 5%');
  });
});

describe('the complaint guardrail', () => {
  it('pauses a send once its complaint rate passes 0.1%', async () => {
    const harness = await digestSend(400, '2025-06-01-complained');
    const reports = await runQueued(harness, (_m, n) => (n === 7 ? 'Complaint' : undefined));
    expect(reports.map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent', 'sent', 'stopped', 'stopped', 'stopped', 'stopped']);
    expect(reports[4]!.reason).toBe('complaint rate 0.5% (1 of 200) is over 0.1%');
    expect((await harness.progress('2025-06-01-complained')).stopped?.reason).toBe('complaint rate 0.5% (1 of 200) is over 0.1%');
  });

  it('lets a send whose rates stay under both thresholds finish', async () => {
    const harness = await digestSend(1100, '2025-06-01-clean');
    // 2% bounce, and one complaint in the 21st batch: 1 of 1,050 (0.095%) when the last batch is judged.
    const reports = await runQueued(harness, (_m, n) => (n % 50 === 0 ? 'Bounce' : n === 1001 ? 'Complaint' : undefined));
    expect(reports.every((r) => r.outcome === 'sent')).toBe(true);
    expect(await harness.progress('2025-06-01-clean')).toMatchObject({ status: 'sent', sent: 1100 });
  });
});

describe('resuming', () => {
  it('is refused for a send that is not stopped, or was never started', async () => {
    const harness = await digestSend(10, '2025-06-01-running');
    await expect(harness.resumeSend('2025-06-01-running')).rejects.toMatchObject({
      kind: 'conflict',
      problems: [{ field: 'status', message: expect.stringMatching(/not stopped/) }],
    });
    await storeDigest(harness.stores.digests, '2025-06-01-unsent');
    await expect(harness.resumeSend('2025-06-01-unsent')).rejects.toMatchObject({ kind: 'conflict' });
    await expect(harness.resumeSend('2025-06-01-missing')).rejects.toMatchObject({ kind: 'not-found' });
  });
});
