/**
 * SesMailer in front of a fake of the SES API holds the Mailer contract (tests/support/contracts/mailer.contract.ts),
 * as does the in-memory mailer the core tests use; then what only SesMailer does: the raw MIME and
 * the call it makes, and how it reads each SES failure.
 */
import type { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { composeMime } from '../../functions/adapters/mime.js';
import { classifySesFailure, createSesClient, SesMailer, type SesSender } from '../../functions/adapters/ses-mailer.js';
import { describeMailerContract, type MailerUnderTest } from '../support/contracts/mailer.contract.js';
import { FakeSes, type SesBehaviour } from '../support/delivery-harness.js';
import { makeMailMessage } from '../support/factories.js';
import { RecordingMailer, type MailerBehaviour } from '../support/fakes/mailer.js';
import { headerCount, parseMail, rawHeaders } from '../support/mail.js';

function sesMailer(behaviour: SesBehaviour): () => Promise<MailerUnderTest> {
  return async () => {
    const ses = new FakeSes();
    ses.behaviour = () => behaviour;
    return { mailer: new SesMailer(ses, 'pressrun-test'), delivered: async () => ses.accepted.map((mail) => mail.to) };
  };
}

/** SES refusing every call with one error, before anything is taken. */
const refusingSes = (name: string, status: number, text: string): SesSender => ({
  send: async (_command: SendEmailCommand) => {
    throw Object.assign(new Error(text), { name, $metadata: { httpStatusCode: status } });
  },
});

describeMailerContract('SesMailer', {
  accepting: sesMailer('accept'),
  throttling: sesMailer('throttle'),
  refusing: sesMailer('reject'),
  unavailable: async () => ({
    mailer: new SesMailer(
      refusingSes('ExpiredTokenException', 403, 'The security token included in the request is expired'),
      'pressrun-test',
    ),
    delivered: async () => [],
  }),
  'refusing-us': async () => ({
    // What the SES sandbox answers a role allowed to send as the sender only.
    mailer: new SesMailer(
      refusingSes(
        'AccessDeniedException',
        403,
        'User is not authorized to perform `ses:SendEmail` on resource `identity/reader@example.org`',
      ),
      'pressrun-test',
    ),
    delivered: async () => [],
  }),
  'losing-answers': sesMailer('timeout-after-accepting'),
});

function recordingMailer(behaviour: MailerBehaviour): () => Promise<MailerUnderTest> {
  return async () => {
    const mailer = new RecordingMailer();
    mailer.behaviour = () => behaviour;
    return { mailer, delivered: async () => mailer.accepted.map(({ message }) => message.to.replace(/^.*<([^>]+)>$/, '$1')) };
  };
}

describeMailerContract('RecordingMailer', {
  accepting: recordingMailer('accept'),
  throttling: recordingMailer('throttle'),
  refusing: recordingMailer('reject'),
  unavailable: recordingMailer('unavailable'),
  'refusing-us': recordingMailer('access-denied'),
  'losing-answers': recordingMailer('timeout-after-accepting'),
});

const sdkError = (name: string, status?: number, code?: string) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    ...(code ? { code } : {}),
  });

describe('SesMailer', () => {
  it('sends the raw MIME with the configuration set and tags, and returns the SES message id', async () => {
    const ses = new FakeSes();
    const { messageId } = await new SesMailer(ses, 'pressrun-events').send(makeMailMessage({ to: 'Reader <reader@example.com>' }));
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
    const message = makeMailMessage();
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
    ['AccessDeniedException', 403, undefined, 'misconfigured'],
    ['AccessDenied', 403, undefined, 'misconfigured'],
    ['SendingPausedException', 400, undefined, 'misconfigured'],
    ['AccountSuspendedException', 400, undefined, 'misconfigured'],
    ['MailFromDomainNotVerifiedException', 400, undefined, 'misconfigured'],
    ['NotFoundException', 404, undefined, 'misconfigured'],
    ['UnrecognizedClientException', 403, undefined, 'misconfigured'],
    ['ExpiredTokenException', 403, undefined, 'unavailable'],
    ['SomeNewClientException', 400, undefined, 'unavailable'],
    ['Error', undefined, 'ECONNREFUSED', 'unavailable'],
    ['InternalFailure', 500, undefined, 'unknown'],
    ['TimeoutError', undefined, undefined, 'unknown'],
    ['Error', undefined, 'ECONNRESET', 'unknown'],
  ])('reads %s (%s %s) as %s', (name, status, code, expected) => {
    expect(classifySesFailure(sdkError(name, status, code)).failure).toBe(expected);
  });
});
