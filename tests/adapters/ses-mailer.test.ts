import { describe, expect, it } from 'vitest';
import { composeMime } from '../../functions/adapters/mime.js';
import { classifySesFailure, createSesClient, SesMailer } from '../../functions/adapters/ses-mailer.js';
import { MailerError } from '../../functions/core/mail/mailer-error.js';
import type { MailMessage } from '../../functions/core/mail/ports.js';
import { FakeSes } from '../support/delivery-harness.js';
import { headerCount, parseMail, rawHeaders } from '../support/mail.js';

function makeMessage(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    from: '"The Example Times" <digest@news.example.com>',
    to: 'reader@example.com',
    subject: 'Two new articles',
    html: '<p>Hello</p>',
    text: 'Hello',
    headers: {
      'List-Unsubscribe': '<https://news.example.com/api/unsubscribe?token=t>, <mailto:u@news.example.com>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': '<digest.news.example.com>',
    },
    tags: { kind: 'digest', digest: '2025-06-01-abcd1234' },
    ...overrides,
  };
}

const sdkError = (name: string, status?: number, code?: string) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    ...(code ? { code } : {}),
  });

describe('SesMailer', () => {
  it('sends the raw MIME with the configuration set and tags, and returns the SES message id', async () => {
    const ses = new FakeSes();
    const { messageId } = await new SesMailer(ses, 'pressrun-events').send(makeMessage({ to: 'Reader <reader@example.com>' }));
    const [sent] = ses.accepted;
    expect(messageId).toBe(sent!.messageId);
    expect(sent).toMatchObject({
      to: 'reader@example.com',
      from: 'digest@news.example.com',
      configurationSet: 'pressrun-events',
      tags: { kind: 'digest', digest: '2025-06-01-abcd1234' },
    });
    expect(headerCount(sent!.raw, 'List-Unsubscribe')).toBe(1);
    expect(headerCount(sent!.raw, 'List-Unsubscribe-Post')).toBe(1);
  });

  it('sends the same MIME as the SMTP mailer: the same header fields and the same parts', async () => {
    const ses = new FakeSes();
    const message = makeMessage();
    await new SesMailer(ses, 'set').send(message);
    const viaSes = ses.accepted[0]!.raw;
    const { raw: viaSmtp } = await composeMime(message);
    const names = (raw: Buffer) =>
      rawHeaders(raw)
        .map((h) => h.name)
        .filter((n) => n !== 'Message-ID' && n !== 'Date');
    expect(names(viaSes)).toEqual(names(viaSmtp));
    const [a, b] = await Promise.all([parseMail(viaSes), parseMail(viaSmtp)]);
    expect([a.text, a.html, a.subject]).toEqual([b.text, b.html, b.subject]);
  });

  it.each([
    ['throttle', 'throttled'],
    ['reject', 'rejected'],
    ['timeout-after-accepting', 'unknown'],
  ] as const)('turns an SES %s into a MailerError saying %s', async (behaviour, failure) => {
    const ses = new FakeSes();
    ses.behaviour = () => behaviour;
    const error = await new SesMailer(ses, 'set').send(makeMessage()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailerError);
    expect((error as MailerError).failure).toBe(failure);
  });

  it('makes its client attempt each call once: SES has no idempotency key', async () => {
    const client = createSesClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(await client.config.maxAttempts()).toBe(1);
    client.destroy();
  });
});

describe('classifySesFailure', () => {
  it.each([
    ['ThrottlingException', 400, undefined, 'throttled'],
    ['TooManyRequestsException', 429, undefined, 'throttled'],
    ['LimitExceededException', 400, undefined, 'throttled'],
    ['MessageRejected', 400, undefined, 'rejected'],
    ['BadRequestException', 400, undefined, 'rejected'],
    ['SendingPausedException', 400, undefined, 'unavailable'],
    ['AccountSuspendedException', 400, undefined, 'unavailable'],
    ['MailFromDomainNotVerifiedException', 400, undefined, 'unavailable'],
    ['NotFoundException', 404, undefined, 'unavailable'],
    ['SomeNewClientException', 400, undefined, 'unavailable'],
    ['Error', undefined, 'ECONNREFUSED', 'unavailable'],
    ['InternalFailure', 500, undefined, 'unknown'],
    ['TimeoutError', undefined, undefined, 'unknown'],
    ['Error', undefined, 'ECONNRESET', 'unknown'],
  ])('reads %s (%s %s) as %s', (name, status, code, expected) => {
    expect(classifySesFailure(sdkError(name, status, code)).failure).toBe(expected);
  });
});
