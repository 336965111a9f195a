import { describe, expect, it } from 'vitest';
import { carryOutSubscribeRequest, sendQueuedMail } from '../../../functions/core/delivery/queued-mail.js';
import type { QueuedMail, QueuedSubscribeRequest } from '../../../functions/core/delivery/ports.js';
import { subscriberId } from '../../../functions/core/subscribers/email.js';
import { verifyToken } from '../../../functions/core/subscribers/tokens.js';
import { TOKEN_SECRET } from '../../support/delivery-data.js';
import { makeMailSettings, makeSite } from '../../support/factories.js';
import { InMemoryMailClaims } from '../../support/fakes/mail-claims.js';
import { RecordingMailer, type MailerBehaviour } from '../../support/fakes/mailer.js';
import { InMemoryRateLimiter } from '../../support/fakes/rate-limiter.js';
import { InMemorySubscriberStore } from '../../support/fakes/subscriber-store.js';

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

describe('carrying out a queued subscription request', () => {
  const AT = '2025-06-01T07:59:00.000Z';
  let requests = 0;
  const request = (email = 'reader@example.org'): QueuedSubscribeRequest => ({
    id: `subscribe-${++requests}`,
    email,
    source: 'form',
    at: AT,
  });

  function worker(behaviour: (call: number) => MailerBehaviour = () => 'accept') {
    const mailer = new RecordingMailer();
    mailer.behaviour = behaviour;
    const subscribers = new InMemorySubscriberStore();
    const subscriptions = {
      site: makeSite(),
      mail: makeMailSettings(),
      tokenSecret: TOKEN_SECRET,
      subscribers,
      rateLimiter: new InMemoryRateLimiter(),
      perAddress: { limit: 2, windowSeconds: 3600 },
    };
    const deps = { mailer, claims: new InMemoryMailClaims(), now: () => NOW, subscriptions };
    return { mailer, subscribers, carryOut: (queued: QueuedSubscribeRequest) => carryOutSubscribeRequest(deps, queued) };
  }
  const tokenIn = (text: string) => /confirm\?token=([A-Za-z0-9_.-]+)/.exec(text)![1]!;

  it('writes the subscriber as of the request and mails one confirmation for its subscription, however often the queue delivers it', async () => {
    const { mailer, subscribers, carryOut } = worker();
    const queued = request();
    const outcomes = await Promise.all([carryOut(queued), carryOut(queued), carryOut(queued)]);
    expect(outcomes.sort()).toEqual(['already-handled', 'already-handled', 'sent']);
    const stored = await subscribers.get(subscriberId('reader@example.org'));
    expect(stored).toMatchObject({ status: 'pending', requestedAt: AT, generation: 1, version: 1 });
    expect(mailer.accepted).toHaveLength(1);
    const claims = verifyToken(TOKEN_SECRET, tokenIn(mailer.accepted[0]!.message.text), 'confirm', NOW);
    expect(claims).toMatchObject({ subject: stored!.id, generation: 1 });
  });

  it('mails nothing to a confirmed address, and drops requests over the address’s limit', async () => {
    const { mailer, subscribers, carryOut } = worker();
    const id = subscriberId('known@example.org');
    await subscribers.save({ id, email: 'known@example.org', status: 'confirmed', source: 'form', createdAt: AT, updatedAt: AT }, 0);
    expect(await carryOut(request('known@example.org'))).toBe('nothing-to-mail');
    expect((await subscribers.get(id))?.version).toBe(1);

    expect(await carryOut(request('busy@example.org'))).toBe('sent');
    expect(await carryOut(request('busy@example.org'))).toBe('sent');
    expect(await carryOut(request('busy@example.org'))).toBe('limited');
    expect(mailer.accepted.map((m) => m.message.to)).toEqual(['busy@example.org', 'busy@example.org']);
  });

  it('gives the request back when the provider throttled; carried out again, it writes nothing new and its link still works', async () => {
    const { mailer, subscribers, carryOut } = worker((call) => (call === 1 ? 'throttle' : 'accept'));
    const queued = request('slow@example.org');
    expect(await carryOut(queued)).toBe('deferred');
    const first = await subscribers.get(subscriberId('slow@example.org'));
    expect(await carryOut(queued)).toBe('sent');
    const again = await subscribers.get(subscriberId('slow@example.org'));
    expect({ ...again, version: first!.version }).toEqual(first);
    expect(verifyToken(TOKEN_SECRET, tokenIn(mailer.accepted[0]!.message.text), 'confirm', NOW).generation).toBe(first!.generation);
  });

  it('gives the request back when the subscriber could not be written, so the next delivery carries it out', async () => {
    const { mailer, subscribers, carryOut } = worker();
    const queued = request('later@example.org');
    const save = subscribers.save.bind(subscribers);
    subscribers.save = async () => Promise.reject(new Error('DynamoDB is down'));
    await expect(carryOut(queued)).rejects.toThrow('DynamoDB is down');
    subscribers.save = save;
    expect(await carryOut(queued)).toBe('sent');
    expect(mailer.accepted).toHaveLength(1);
  });

  it('never mails a confirmation twice when the provider may have taken it', async () => {
    const { mailer, carryOut } = worker(() => 'timeout-after-accepting');
    const queued = request('unsure@example.org');
    expect(await carryOut(queued)).toBe('unknown');
    expect(await carryOut(queued)).toBe('already-handled');
    expect(mailer.calls).toBe(1);
  });
});
