import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MAIL_MESSAGE_BYTES, SqsMailOutbox } from '../../functions/adapters/sqs-mail-outbox.js';
import { readQueueMessage } from '../../functions/adapters/sqs-queue.js';
import { MailerError } from '../../functions/core/mail/mailer-error.js';
import type { MailMessage } from '../../functions/core/mail/ports.js';
import { startSqsStandIn } from '../support/aws-stand-ins.js';

let sqs: Awaited<ReturnType<typeof startSqsStandIn>>;
let outbox: SqsMailOutbox;
const QUEUE_URL = 'http://queue.local/123456789012/pressrun-mail';

const message: MailMessage = {
  from: '"The Example Times" <digest@news.example.com>',
  to: 'reader@example.org',
  subject: 'Confirm your subscription',
  html: '<p>Confirm</p>',
  text: 'Confirm',
  headers: { 'List-Id': '<digest.news.example.com>' },
  tags: { kind: 'confirmation' },
};

beforeAll(async () => {
  sqs = await startSqsStandIn();
  // No SDK retries: the stand-in's failures should reach the outbox as they come.
  const client = new SQSClient({
    region: 'us-east-1',
    endpoint: sqs.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  let n = 0;
  outbox = new SqsMailOutbox(client, QUEUE_URL, () => `mail-${++n}`);
});
afterAll(() => sqs.close());

describe('SqsMailOutbox', () => {
  it('queues the message whole under a new id, for the send worker to read back', async () => {
    const { messageId } = await outbox.send(message);
    const [queued] = sqs.take(QUEUE_URL);
    expect(queued).toBeDefined();
    expect(readQueueMessage(queued!.body)).toEqual({ kind: 'mail', mail: { id: messageId, message } });
    expect(messageId).toMatch(/^mail-\d+$/);
  });

  it('says the mail was not sent when the queue did not take it', async () => {
    sqs.failNext(1);
    const error = await outbox.send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailerError);
    expect((error as MailerError).failure).toBe('unavailable');
    expect(sqs.take(QUEUE_URL)).toEqual([]);
  });

  it('refuses a message too large for the queue without calling it', async () => {
    const error = await outbox.send({ ...message, html: 'x'.repeat(MAX_MAIL_MESSAGE_BYTES) }).catch((e: unknown) => e);
    expect((error as MailerError).failure).toBe('rejected');
    expect(sqs.take()).toEqual([]);
  });
});
