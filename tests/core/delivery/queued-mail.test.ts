import { describe, expect, it } from 'vitest';
import { sendQueuedMail } from '../../../functions/core/delivery/queued-mail.js';
import type { QueuedMail } from '../../../functions/core/delivery/ports.js';
import { InMemoryMailClaims } from '../../support/fakes/mail-claims.js';
import { RecordingMailer, type MailerBehaviour } from '../../support/fakes/mailer.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');
let counter = 0;

/** A queued confirmation mail with an id of its own, as SqsMailOutbox queues it. */
function queuedMail(to = 'reader@example.org'): QueuedMail {
  return {
    id: `mail-${++counter}`,
    message: {
      from: 'digest@news.example.com',
      to,
      subject: 'Confirm your subscription',
      html: '<p>Confirm</p>',
      text: 'Confirm',
      headers: {},
    },
  };
}

function harnessWith(behaviour: (call: number) => MailerBehaviour) {
  const mailer = new RecordingMailer();
  mailer.behaviour = behaviour;
  const deps = { mailer, claims: new InMemoryMailClaims(), now: () => NOW };
  return { mailer, send: (mail: QueuedMail) => sendQueuedMail(deps, mail) };
}

describe('sending a queued mail', () => {
  it('mails it once, however often the queue delivers it', async () => {
    const { mailer, send } = harnessWith(() => 'accept');
    const mail = queuedMail();
    const outcomes = await Promise.all([send(mail), send(mail), send(mail)]);
    expect(outcomes.sort()).toEqual(['already-handled', 'already-handled', 'sent']);
    expect(await send(mail)).toBe('already-handled');
    expect(mailer.accepted.map((m) => m.message.to)).toEqual(['reader@example.org']);
  });

  it('gives the claim back when the provider throttled, so the next delivery sends it', async () => {
    const { mailer, send } = harnessWith((call) => (call === 1 ? 'throttle' : 'accept'));
    const mail = queuedMail();
    expect(await send(mail)).toBe('deferred');
    expect(mailer.accepted).toEqual([]);
    expect(await send(mail)).toBe('sent');
    expect(mailer.accepted).toHaveLength(1);
  });

  it('drops a mail the provider refuses for good', async () => {
    const { mailer, send } = harnessWith(() => 'reject');
    const mail = queuedMail();
    expect(await send(mail)).toBe('rejected');
    expect(await send(mail)).toBe('already-handled');
    expect(mailer.calls).toBe(1);
  });

  it('never resends a mail the provider may have taken', async () => {
    const { mailer, send } = harnessWith(() => 'timeout-after-accepting');
    const mail = queuedMail();
    expect(await send(mail)).toBe('unknown');
    expect(await send(mail)).toBe('already-handled');
    expect(mailer.accepted).toHaveLength(1);
  });
});
