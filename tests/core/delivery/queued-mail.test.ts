import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendQueuedMail } from '../../../functions/core/delivery/queued-mail.js';
import type { QueuedMail } from '../../../functions/core/delivery/ports.js';
import { deliveryHarness, type SesBehaviour } from '../../support/delivery-harness.js';
import { startLocalAws, type LocalAws } from '../../support/local-aws.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');
let aws: LocalAws;
let counter = 0;

beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

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

function harnessWith(behaviour: (call: number) => SesBehaviour) {
  const harness = deliveryHarness(aws, { now: () => NOW });
  harness.ses.behaviour = behaviour;
  const deps = { mailer: harness.services.mailer, claims: harness.stores.mailClaims, now: () => NOW };
  return { ses: harness.ses, send: (mail: QueuedMail) => sendQueuedMail(deps, mail) };
}

describe('sending a queued mail', () => {
  it('mails it once, however often the queue delivers it', async () => {
    const { ses, send } = harnessWith(() => 'accept');
    const mail = queuedMail();
    const outcomes = await Promise.all([send(mail), send(mail), send(mail)]);
    expect(outcomes.sort()).toEqual(['already-handled', 'already-handled', 'sent']);
    expect(await send(mail)).toBe('already-handled');
    expect(ses.accepted.map((m) => m.to)).toEqual(['reader@example.org']);
  });

  it('gives the claim back when the provider throttled, so the next delivery sends it', async () => {
    const { ses, send } = harnessWith((call) => (call === 1 ? 'throttle' : 'accept'));
    const mail = queuedMail();
    expect(await send(mail)).toBe('deferred');
    expect(ses.accepted).toEqual([]);
    expect(await send(mail)).toBe('sent');
    expect(ses.accepted).toHaveLength(1);
  });

  it('drops a mail the provider refuses for good', async () => {
    const { ses, send } = harnessWith(() => 'reject');
    const mail = queuedMail();
    expect(await send(mail)).toBe('rejected');
    expect(await send(mail)).toBe('already-handled');
    expect(ses.calls).toBe(1);
  });

  it('never resends a mail the provider may have taken', async () => {
    const { ses, send } = harnessWith(() => 'timeout-after-accepting');
    const mail = queuedMail();
    expect(await send(mail)).toBe('unknown');
    expect(await send(mail)).toBe('already-handled');
    expect(ses.accepted).toHaveLength(1);
  });
});
