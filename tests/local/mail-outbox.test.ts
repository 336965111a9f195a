import { describe, expect, it } from 'vitest';
import type { QueuedMailOutcome, SubscribeRequestOutcome } from '../../functions/core/delivery/queued-mail.js';
import type { MailMessage } from '../../functions/core/mail/ports.js';
import type { QueuedMail, QueuedSubscribeRequest } from '../../functions/core/delivery/ports.js';
import { InProcessMailOutbox } from '../../functions/local/mail-outbox.js';

const message: MailMessage = {
  from: 'digest@news.example.com',
  to: 'reader@example.org',
  subject: 'Confirm',
  html: '<p>Confirm</p>',
  text: 'Confirm',
  headers: {},
};
const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

function outboxAnswering(outcomes: Array<QueuedMailOutcome | Error>, maxReceives = 5) {
  const deliveries: QueuedMail[] = [];
  const log: string[] = [];
  const outbox = new InProcessMailOutbox({
    sendQueued: async (mail) => {
      deliveries.push(mail);
      const outcome = outcomes[deliveries.length - 1] ?? 'sent';
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    retryDelayMs: 1,
    maxReceives,
    log: (line) => log.push(line),
  });
  return { outbox, deliveries, log };
}

describe('the in-process mail outbox (the mail queue of npm start)', () => {
  it('hands the mail to the worker at once, under the id it answers with', async () => {
    const { outbox, deliveries } = outboxAnswering(['sent']);
    const { messageId } = await outbox.send(message);
    expect(deliveries).toEqual([{ id: messageId, message }]);
  });

  it('delivers a mail the provider did not take again, with the same id, until it is sent', async () => {
    const { outbox, deliveries } = outboxAnswering(['deferred', new Error('DynamoDB is down'), 'sent']);
    await outbox.send(message);
    await until(() => deliveries.length === 3);
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(deliveries).toHaveLength(3);
  });

  it('gives a mail up after its last delivery, and says so', async () => {
    const { outbox, deliveries, log } = outboxAnswering(['deferred', 'deferred', 'deferred'], 2);
    const { messageId } = await outbox.send(message);
    await until(() => log.some((line) => line.includes('given up')));
    expect(deliveries).toHaveLength(2);
    expect(log).toContain(`mail ${messageId}: given up after 2 deliveries`);
  });

  it('drops the mails waiting to come back when closed', async () => {
    const { outbox, deliveries } = outboxAnswering(['deferred', 'sent']);
    await outbox.send(message);
    await outbox.close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(deliveries).toHaveLength(1);
  });

  it('takes a subscription request and answers before the worker starts on it; idle() waits until it is carried out', async () => {
    const handled: QueuedSubscribeRequest[] = [];
    const outbox = new InProcessMailOutbox({
      sendQueued: async () => 'sent',
      subscribe: async (request) => {
        handled.push(request);
        return 'sent';
      },
    });
    const request = { email: 'reader@example.org', source: 'form', at: '2025-06-01T12:00:00.000Z' };
    await outbox.submit(request);
    expect(handled).toEqual([]);
    await outbox.idle();
    expect(handled).toEqual([{ id: expect.any(String), ...request }]);
  });

  it('hands a request the worker could not finish over again, under the same id, until it is done', async () => {
    const outcomes: Array<SubscribeRequestOutcome | Error> = ['deferred', new Error('DynamoDB is down'), 'nothing-to-mail'];
    const handled: QueuedSubscribeRequest[] = [];
    const log: string[] = [];
    const outbox = new InProcessMailOutbox({
      sendQueued: async () => 'sent',
      subscribe: async (request) => {
        handled.push(request);
        const outcome = outcomes[handled.length - 1]!;
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
      retryDelayMs: 1,
      log: (line) => log.push(line),
    });
    await outbox.submit({ email: 'reader@example.org', source: 'form', at: '2025-06-01T12:00:00.000Z' });
    await outbox.idle();
    expect(handled).toHaveLength(3);
    expect(new Set(handled.map((r) => r.id)).size).toBe(1);
    expect(log.at(-1)).toBe(`subscribe ${handled[0]!.id}: nothing-to-mail`);
    expect(log.join('\n')).not.toContain('reader@example.org');
  });
});
