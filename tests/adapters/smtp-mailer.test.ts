/**
 * SmtpMailer against real SMTP servers (maildev) holds the Mailer contract (tests/support/contracts/mailer.contract.ts);
 * then what only SmtpMailer does: the MIME on the wire, its pooled connections, and how it reads each SMTP reply.
 */
import { createServer } from 'node:net';
import { MailDev } from 'maildev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySmtpFailure, SmtpMailer } from '../../functions/adapters/smtp-mailer.js';
import { startMaildev, type RunningMaildev } from '../../functions/local/maildev.js';
import { describeMailerContract } from '../support/contracts/mailer.contract.js';
import { makeMailMessage } from '../support/factories.js';
import { headerCount, parseMail } from '../support/mail.js';

let maildev: RunningMaildev;
let mailer: SmtpMailer;
beforeAll(async () => {
  maildev = await startMaildev({ web: false });
  mailer = new SmtpMailer({ host: maildev.smtp.host, port: maildev.smtp.port, tls: 'none' });
});
afterAll(async () => {
  mailer.close();
  await maildev.close();
});

/** A free port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return port;
}

const failure = (fields: Record<string, unknown>) => Object.assign(new Error('smtp failure'), fields);

describeMailerContract('SmtpMailer', {
  accepting: async () => {
    const before = (await maildev.list()).length;
    return { mailer, delivered: async () => (await maildev.list()).slice(before).flatMap((mail) => mail.to) };
  },
  // A server that takes no message this large: it answers 552 to the DATA.
  refusing: async () => {
    const small = new MailDev({ smtp: 0, ip: '127.0.0.1', disableWeb: true, silent: true, maxMessageSize: 100 });
    const servers = await small.start();
    const tiny = new SmtpMailer({ host: '127.0.0.1', port: servers.smtp.getPort(), tls: 'none' });
    return {
      mailer: tiny,
      delivered: async () => (await servers.smtp.getAllEmails()).flatMap((mail) => mail.envelope.to.map((to) => to.address)),
      close: async () => {
        tiny.close();
        await small.stop();
      },
    };
  },
  unavailable: async () => {
    const nowhere = new SmtpMailer({ host: '127.0.0.1', port: await closedPort(), tls: 'none' });
    return { mailer: nowhere, delivered: async () => [], close: () => nowhere.close() };
  },
});

describe('SmtpMailer against a real SMTP server', () => {
  it('delivers the message to the envelope recipient, with its List-* fields once each', async () => {
    const { messageId } = await mailer.send(makeMailMessage({ to: 'Reader <reader@example.com>' }));
    const caught = (await maildev.list()).at(-1)!;
    expect(caught.to).toEqual(['reader@example.com']);
    const raw = await maildev.raw(caught.id);
    const mail = await parseMail(raw);
    expect(mail.messageId).toBe(messageId);
    expect(headerCount(raw, 'List-Unsubscribe')).toBe(1);
    expect(headerCount(raw, 'List-Unsubscribe-Post')).toBe(1);
  });

  it('sends many messages over its pooled connections', async () => {
    const before = (await maildev.list()).length;
    await Promise.all(Array.from({ length: 40 }, (_, i) => mailer.send(makeMailMessage({ to: `many-${i}@example.com` }))));
    expect((await maildev.list()).length - before).toBe(40);
  });
});

describe('classifySmtpFailure', () => {
  it.each([
    ['421 service not available', { responseCode: 421, command: 'CONN' }, 'throttled'],
    ['451 local error, try later', { responseCode: 451, command: 'DATA' }, 'throttled'],
    ['454 throttling (SES SMTP)', { responseCode: 454, command: 'MAIL FROM' }, 'throttled'],
    ['452 mailbox full', { responseCode: 452, command: 'RCPT TO' }, 'throttled'],
    ['550 no such user', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, 'rejected'],
    ['552 message too large', { code: 'EMESSAGE', responseCode: 552, command: 'DATA' }, 'rejected'],
    ['553 sender refused', { code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }, 'misconfigured'],
    ['535 bad credentials', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, 'misconfigured'],
    ['TLS failure', { code: 'ETLS', command: 'STARTTLS' }, 'misconfigured'],
    ['connection refused', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }, 'unavailable'],
    ['an invalid recipient, found before sending', { code: 'EENVELOPE', command: 'API' }, 'rejected'],
    ['a timeout mid-session', { code: 'ETIMEDOUT', command: 'CONN' }, 'unknown'],
    ['a dropped connection', { code: 'ECONNECTION', command: 'CONN' }, 'unknown'],
    ['something unheard of', {}, 'unknown'],
  ])('reads %s as %s', (_what, fields, expected) => {
    expect(classifySmtpFailure(failure(fields)).failure).toBe(expected);
  });
});
