import { parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriber, SubscribeRequest } from '../../functions/core/subscribers/ports.js';
import { createDeliveryApi } from '../../functions/wiring/delivery.js';
import { normalizeEmail, subscriberId } from '../../functions/core/subscribers/email.js';
import { issueToken, signToken } from '../../functions/core/subscribers/tokens.js';
import { deliveryHarness, storeDigest, TOKEN_SECRET } from '../support/delivery-harness.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import { oneClickUrl, parseMail } from '../support/mail.js';
import { buildApi, makeSite, NOW, readJson, type ProblemJson } from './harness.js';

let aws: LocalAws;
let harness: ReturnType<typeof deliveryHarness>;
let app: ReturnType<typeof buildApi>['app'];

beforeAll(async () => {
  aws = await startLocalAws();
  harness = deliveryHarness(aws, { site: makeSite(), now: () => NOW });
  app = buildApi(aws, { delivery: harness.api(), clientAddress: { trustedHeader: 'CloudFront-Viewer-Address' } }).app;
});
afterAll(() => aws.close());

let clients = 0;
/** Each test speaks from its own address, so per-client limits of one test do not reach another. */
const newClient = () => `198.51.100.${++clients}:40000`;

function subscribe(email: string, options: { form?: boolean; html?: boolean; client?: string } = {}) {
  const headers: Record<string, string> = { 'CloudFront-Viewer-Address': options.client ?? newClient() };
  if (options.html) headers.Accept = 'text/html,application/xhtml+xml';
  if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return app.request('/api/subscribe', { method: 'POST', headers, body: new URLSearchParams({ email }).toString() });
  }
  headers['Content-Type'] = 'application/json';
  return app.request('/api/subscribe', { method: 'POST', headers, body: JSON.stringify({ email }) });
}

let addresses = 0;
const newAddress = (label: string) => `${label}-${++addresses}@example.com`;

async function subscriber(email: string): Promise<Subscriber | undefined> {
  return harness.stores.subscribers.get(subscriberId(normalizeEmail(email)));
}

async function withStatus(email: string, status: Subscriber['status']): Promise<Subscriber> {
  const id = subscriberId(email);
  const at = NOW.toISOString();
  return harness.stores.subscribers.save({ id, email, status, source: 'form', createdAt: at, updatedAt: at }, 0);
}

/**
 * `target`'s members (stores, a queue, a mailer), each recording its method calls in `operations`
 * as `member.method`, with the kind of a rate-limit key (the part before its first colon).
 */
function recording<T extends object>(operations: string[], target: T): T {
  const members = Object.entries(target).map(([name, member]) => {
    if (typeof member !== 'object' || member === null) return [name, member];
    const proxy = new Proxy(member as object, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const key = typeof args[0] === 'string' && args[0].includes(':') ? `(${args[0].split(':')[0]})` : '';
          operations.push(`${name}.${String(property)}${key}`);
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
    return [name, proxy];
  });
  return Object.fromEntries(members) as T;
}

const form = (fields: Record<string, string>) => ({
  'Content-Type': 'application/x-www-form-urlencoded',
  body: new URLSearchParams(fields).toString(),
});
const post = (path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) => {
  const { body, ...type } = form(fields);
  return app.request(path, { method: 'POST', headers: { ...type, ...headers }, body });
};

function formsOf(html: string): Array<{ action: string; method: string; fields: Record<string, string> }> {
  const document = parseDocument(html);
  const forms: Array<{ action: string; method: string; fields: Record<string, string> }> = [];
  const walk = (
    node: { type?: string; name?: string; attribs?: Record<string, string>; children?: unknown[] },
    current?: { fields: Record<string, string> },
  ) => {
    let here = current;
    if (node.name === 'form') {
      here = { action: node.attribs?.action ?? '', method: node.attribs?.method ?? '', fields: {} } as (typeof forms)[number];
      forms.push(here as (typeof forms)[number]);
    }
    if (node.name === 'input' && here && node.attribs?.name) here.fields[node.attribs.name] = node.attribs.value ?? '';
    for (const child of (node.children ?? []) as Array<typeof node>) walk(child, here);
  };
  walk(document as unknown as Parameters<typeof walk>[0]);
  return forms;
}

describe('POST /api/subscribe', () => {
  it('makes a new address pending and mails it a link to a confirm page', async () => {
    const email = newAddress('new');
    const response = await subscribe(email);
    expect(response.status).toBe(202);
    expect(await subscriber(email)).toMatchObject({ status: 'pending', source: 'api' });
    const mail = harness.ses.accepted.find((m) => m.to === email)!;
    const parsed = await parseMail(mail.raw);
    expect(parsed.subject).toMatch(/^Confirm your subscription/);
    expect(parsed.text).toMatch(/https:\/\/news\.example\.com\/api\/confirm\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}/);
  });

  it('answers the same, byte for byte, whether the address is new, pending, confirmed, unsubscribed or suppressed', async () => {
    const cases = [
      ['new', newAddress('same')],
      ['pending', (await withStatus(newAddress('same'), 'pending')).email],
      ['confirmed', (await withStatus(newAddress('same'), 'confirmed')).email],
      ['unsubscribed', (await withStatus(newAddress('same'), 'unsubscribed')).email],
      ['bounced', (await withStatus(newAddress('same'), 'bounced')).email],
      ['complained', (await withStatus(newAddress('same'), 'complained')).email],
    ];
    const answers = await Promise.all(
      cases.map(async ([, email]) => {
        const response = await subscribe(email!);
        return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
      }),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.status).toBe(202);

    const mailed = (email: string) => harness.ses.accepted.some((m) => m.to === email);
    expect(cases.map(([label, email]) => [label, mailed(email!)])).toEqual([
      ['new', true],
      ['pending', true],
      ['confirmed', false],
      ['unsubscribed', true],
      ['bounced', false],
      ['complained', false],
    ]);
    expect((await subscriber(cases[4]![1]!))?.status).toBe('bounced');
  });

  it('does the same work for a confirmed, a pending and an unknown address while the reader waits: none about the address', async () => {
    const cases = [
      (await withStatus(newAddress('same-work'), 'confirmed')).email,
      (await withStatus(newAddress('same-work'), 'pending')).email,
      newAddress('same-work'),
    ];
    const queued: SubscribeRequest[] = [];
    const runs = [];
    for (const email of cases) {
      const operations: string[] = [];
      const stores = recording(operations, harness.stores);
      const requests = recording(operations, { requests: { submit: async (request: SubscribeRequest) => void queued.push(request) } });
      const delivery = createDeliveryApi({ site: harness.site, mail: harness.config.mail, tokenSecret: TOKEN_SECRET }, stores, {
        outbox: recording(operations, { outbox: harness.services.mailer }).outbox,
        requests: requests.requests,
        queue: harness.queue,
      });
      const counted = buildApi(aws, { delivery, clientAddress: { trustedHeader: 'CloudFront-Viewer-Address' } }).app;
      const response = await counted.request('/api/subscribe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CloudFront-Viewer-Address': newClient() },
        body: JSON.stringify({ email }),
      });
      runs.push({ operations, status: response.status, headers: [...response.headers], body: await response.text() });
    }
    // The operations on the table, the queue and the mailer while answering: a deterministic stand-in for the time it takes.
    expect(runs[0]!.operations).toEqual(['rateLimiter.hit(subscribe-client)', 'requests.submit']);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[0]!.status).toBe(202);

    // The rest happens in the send worker: the pending and the unknown address get a confirmation, the confirmed one nothing.
    expect(queued.map((request) => request.email)).toEqual(cases);
    let id = 0;
    for (const request of queued) await harness.services.subscribe({ id: `same-work-${++id}`, ...request });
    expect(cases.map((email) => harness.ses.accepted.filter((m) => m.to === email).length)).toEqual([0, 1, 1]);
    expect((await subscriber(cases[2]!))?.status).toBe('pending');
  });

  it('takes the site form (form-encoded) and answers a browser with a page', async () => {
    const email = newAddress('form');
    const response = await subscribe(email, { form: true, html: true });
    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('Check your inbox');
    expect(await subscriber(email)).toMatchObject({ status: 'pending', source: 'form' });
  });

  it.each([
    ['not an address', 'not-an-address'],
    ['a header injection', 'x@example.com\r\nBcc: victim@example.com'],
  ])('refuses %s, naming the email field', async (_what, email) => {
    const response = await subscribe(email);
    expect(response.status).toBe(422);
    expect((await readJson<ProblemJson>(response)).errors[0]?.field).toBe('email');
  });

  it('refuses bodies it cannot read', async () => {
    const client = newClient();
    const text = await app.request('/api/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'CloudFront-Viewer-Address': client },
      body: 'x@example.com',
    });
    expect(text.status).toBe(415);
    const huge = await app.request('/api/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CloudFront-Viewer-Address': newClient() },
      body: JSON.stringify({ email: 'a@example.com', pad: 'x'.repeat(20_000) }),
    });
    expect(huge.status).toBe(413);
  });

  it('limits requests per address after answering: the fourth in an hour gets the same 202 and no mail', async () => {
    const email = newAddress('limited');
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const response = await subscribe(email);
      answers.push(`${response.status} ${await response.text()}`);
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/^202 /);
    expect(harness.ses.accepted.filter((m) => m.to === email)).toHaveLength(3);
  });

  it('limits requests per client, whatever addresses it tries', async () => {
    const client = newClient();
    const statuses = [];
    for (let i = 0; i < 22; i++) statuses.push((await subscribe(newAddress('burst'), { client })).status);
    expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});

describe('confirming', () => {
  it('shows a page with a button on GET and confirms only on POST', async () => {
    const { email } = await withStatus(newAddress('confirm'), 'pending');
    const token = issueToken(TOKEN_SECRET, 'confirm', subscriberId(email), NOW);
    const page = await app.request(`/api/confirm?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const [button] = formsOf(await page.text());
    expect(button).toEqual({ action: 'https://news.example.com/api/confirm', method: 'post', fields: { token } });
    expect((await subscriber(email))?.status).toBe('pending');

    const confirmed = await post('/api/confirm', { token }, { Accept: 'text/html' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are subscribed');
    expect(await subscriber(email)).toMatchObject({ status: 'confirmed', consentSource: 'form', confirmedAt: NOW.toISOString() });

    const again = await app.request('/api/confirm', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(await readJson(again)).toMatchObject({ status: 'already-confirmed' });
  });

  it.each([
    [
      'expired',
      () =>
        signToken(TOKEN_SECRET, {
          purpose: 'confirm',
          subject: subscriberId('expired@example.com'),
          expiresAt: new Date(NOW.getTime() - 1000),
        }),
      'This link has expired',
    ],
    [
      'forged',
      () => `${issueToken(TOKEN_SECRET, 'confirm', subscriberId('x@example.com'), NOW).slice(0, -2)}AA`,
      'This link does not work',
    ],
    [
      'meant for unsubscribing',
      () => issueToken(TOKEN_SECRET, 'unsubscribe', subscriberId('x@example.com'), NOW),
      'This link does not work',
    ],
    ['missing', () => '', 'This link does not work'],
  ])('answers a %s token with a clear page, never a 5xx', async (_what, token, title) => {
    const value = token();
    const page = await app.request(`/api/confirm?token=${value}`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain(title);
    const json = await app.request(`/api/confirm?token=${value}`, { method: 'POST' });
    expect(json.status).toBe(422);
    expect((await readJson<ProblemJson>(json)).errors[0]?.field).toBe('token');
  });

  it('refuses an old confirmation link after the reader unsubscribed', async () => {
    const { email } = await withStatus(newAddress('left'), 'unsubscribed');
    const token = issueToken(TOKEN_SECRET, 'confirm', subscriberId(email), NOW);
    const response = await post('/api/confirm', { token });
    expect(response.status).toBe(409);
    expect((await subscriber(email))?.status).toBe('unsubscribed');
  });
});

describe('one-click unsubscribe (RFC 8058)', () => {
  it('unsubscribes on a POST with List-Unsubscribe=One-Click: no auth, no cookie, no redirect; again is harmless', async () => {
    const { email } = await withStatus(newAddress('leaving'), 'confirmed');
    const token = issueToken(TOKEN_SECRET, 'unsubscribe', subscriberId(email), NOW);
    const response = await post(`/api/unsubscribe?token=${token}`, { 'List-Unsubscribe': 'One-Click' });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await readJson(response)).toEqual({ status: 'unsubscribed' });
    expect(await subscriber(email)).toMatchObject({ status: 'unsubscribed', source: 'one-click', unsubscribedAt: NOW.toISOString() });
    expect(await readJson(await post(`/api/unsubscribe?token=${token}`, { 'List-Unsubscribe': 'One-Click' }))).toEqual({
      status: 'already-unsubscribed',
    });
  });

  it('takes multipart/form-data too, as some mail providers send it', async () => {
    const { email } = await withStatus(newAddress('multipart'), 'confirmed');
    const token = issueToken(TOKEN_SECRET, 'unsubscribe', subscriberId(email), NOW);
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    const response = await app.request(`/api/unsubscribe?token=${token}`, { method: 'POST', body });
    expect(response.status).toBe(200);
    expect((await subscriber(email))?.status).toBe('unsubscribed');
  });

  it('shows a page on GET whose button makes the same one-click POST, and changes nothing', async () => {
    const { email } = await withStatus(newAddress('page'), 'confirmed');
    const token = issueToken(TOKEN_SECRET, 'unsubscribe', subscriberId(email), NOW);
    const page = await app.request(`/api/unsubscribe?token=${token}`);
    expect(page.status).toBe(200);
    const [button] = formsOf(await page.text());
    expect(button).toEqual({
      action: `https://news.example.com/api/unsubscribe?token=${token}`,
      method: 'post',
      fields: { 'List-Unsubscribe': 'One-Click' },
    });
    expect((await subscriber(email))?.status).toBe('confirmed');
    const done = await post(new URL(button!.action).pathname + new URL(button!.action).search, button!.fields, { Accept: 'text/html' });
    expect(await done.text()).toContain('You are unsubscribed');
    expect((await subscriber(email))?.status).toBe('unsubscribed');
  });

  it('answers a token for nobody as it answers any other', async () => {
    const token = issueToken(TOKEN_SECRET, 'unsubscribe', subscriberId('never-subscribed@example.com'), NOW);
    expect(await readJson(await post(`/api/unsubscribe?token=${token}`, { 'List-Unsubscribe': 'One-Click' }))).toEqual({
      status: 'already-unsubscribed',
    });
  });
});

describe('links are bound to the subscription they were made for', () => {
  const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

  /** The link of the newest confirmation mail `email` received. */
  async function newestConfirmLink(email: string): Promise<string> {
    const mails = harness.ses.accepted.filter((m) => m.to === email);
    const text = (await parseMail(mails.at(-1)!.raw)).text ?? '';
    return /(https:\/\/news\.example\.com\/api\/confirm\?token=\S+)/.exec(text)![1]!;
  }

  let digests = 0;
  /** Sends a new digest to every confirmed reader; the one-click unsubscribe link `email` received in it. */
  async function digestUnsubscribeLink(email: string): Promise<string> {
    const id = `2025-06-01-bound-${++digests}`;
    await storeDigest(harness.stores.digests, id, harness.site);
    await harness.services.startSend(id);
    for (const ref of harness.queue.take()) await harness.services.worker(ref);
    const mail = harness.ses.accepted.filter((m) => m.to === email && m.tags.digest === id);
    expect(mail).toHaveLength(1);
    return oneClickUrl(mail[0]!.raw);
  }

  const confirmWith = (link: string, headers: Record<string, string> = {}) =>
    post('/api/confirm', { token: new URL(link).searchParams.get('token')! }, headers);
  const oneClick = (link: string) => post(pathOf(link), { 'List-Unsubscribe': 'One-Click' });

  it('an old confirmation link does not confirm the subscription asked for after unsubscribing', async () => {
    const email = newAddress('resubscribed');
    await subscribe(email);
    const oldConfirm = await newestConfirmLink(email);
    expect(await readJson(await confirmWith(oldConfirm))).toMatchObject({ status: 'confirmed' });
    expect((await oneClick(await digestUnsubscribeLink(email))).status).toBe(200);
    await subscribe(email);
    const newConfirm = await newestConfirmLink(email);

    const old = await confirmWith(oldConfirm);
    expect(old.status).toBe(409);
    expect((await readJson<ProblemJson>(old)).errors[0]?.field).toBe('token');
    const page = await confirmWith(oldConfirm, { Accept: 'text/html' });
    expect(page.status).toBe(409);
    expect(formsOf(await page.text()).some((f) => f.action === 'https://news.example.com/api/subscribe')).toBe(true);
    expect((await subscriber(email))?.status).toBe('pending');

    expect(await readJson(await confirmWith(newConfirm))).toMatchObject({ status: 'confirmed' });
  });

  it('an old unsubscribe link does not end the subscription made after it; the newer one does', async () => {
    const email = newAddress('came-back');
    await subscribe(email);
    await confirmWith(await newestConfirmLink(email));
    const oldUnsubscribe = await digestUnsubscribeLink(email);
    expect(await readJson(await oneClick(oldUnsubscribe))).toEqual({ status: 'unsubscribed' });
    await subscribe(email);
    expect(await readJson(await confirmWith(await newestConfirmLink(email)))).toMatchObject({ status: 'confirmed' });

    const old = await oneClick(oldUnsubscribe);
    expect(old.status).toBe(409);
    expect(old.headers.get('location')).toBeNull();
    expect((await subscriber(email))?.status).toBe('confirmed');

    const newUnsubscribe = await digestUnsubscribeLink(email);
    expect(await readJson(await oneClick(newUnsubscribe))).toEqual({ status: 'unsubscribed' });
    expect((await subscriber(email))?.status).toBe('unsubscribed');
  });
});

describe('link scanners', () => {
  it('change no subscriber with 1,000 GETs of confirm and unsubscribe links; the POSTs do', async () => {
    const pending = await Promise.all(Array.from({ length: 5 }, () => withStatus(newAddress('scan-pending'), 'pending')));
    const confirmed = await Promise.all(Array.from({ length: 5 }, () => withStatus(newAddress('scan-confirmed'), 'confirmed')));
    const links = [
      ...pending.map((s) => `/api/confirm?token=${issueToken(TOKEN_SECRET, 'confirm', s.id, NOW)}`),
      ...confirmed.map((s) => `/api/unsubscribe?token=${issueToken(TOKEN_SECRET, 'unsubscribe', s.id, NOW)}`),
    ];
    const everyone = [...pending, ...confirmed];
    const before = await harness.stores.subscribers.getMany(everyone.map((s) => s.id));

    for (let i = 0; i < 1000; i += 50) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, k) => app.request(links[(i + k) % links.length]!, { method: (i + k) % 7 === 0 ? 'HEAD' : 'GET' })),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
    }
    expect(await harness.stores.subscribers.getMany(everyone.map((s) => s.id))).toEqual(before);

    for (const link of links) expect((await app.request(link, { method: 'POST' })).status).toBe(200);
    const after = await harness.stores.subscribers.getMany(everyone.map((s) => s.id));
    expect(pending.map((s) => after.get(s.id)?.status)).toEqual(Array(5).fill('confirmed'));
    expect(confirmed.map((s) => after.get(s.id)?.status)).toEqual(Array(5).fill('unsubscribed'));
  });
});

describe('without delivery wired', () => {
  it('answers 503 rather than pretending the route does not exist', async () => {
    const bare = buildApi(aws).app;
    const response = await bare.request('/api/subscribe', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.com' }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

/** A form body with `topics` (or any field) repeated, as a browser sends checked boxes. */
const formOf = (pairs: Array<[string, string]>) => new URLSearchParams(pairs).toString();

function subscribeWith(body: string, type: 'form' | 'json', headers: Record<string, string> = {}) {
  return app.request('/api/subscribe', {
    method: 'POST',
    headers: {
      'Content-Type': type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
      'CloudFront-Viewer-Address': newClient(),
      ...headers,
    },
    body,
  });
}

describe('choosing what to receive when subscribing', () => {
  it('takes JSON preferences beside the address, the defaults filling what is left out', async () => {
    const email = newAddress('chooses-json');
    const response = await subscribeWith(
      JSON.stringify({ email, preferences: { topics: ['science'], cadence: 'weekly', weekday: 5 } }),
      'json',
    );
    expect(response.status).toBe(202);
    expect((await subscriber(email))?.preferences).toEqual({
      topics: ['science'],
      cadence: 'weekly',
      format: 'summary',
      hour: 7,
      weekday: 5,
    });
  });

  it('takes the form fields: topics once per checked tag, hour and weekday as text', async () => {
    const email = newAddress('chooses-form');
    const body = formOf([
      ['email', email],
      ['cadence', 'daily'],
      ['format', 'full'],
      ['hour', '18'],
      ['weekday', '0'],
      ['topics', 'travel'],
      ['topics', 'science'],
    ]);
    expect((await subscribeWith(body, 'form', { Accept: 'text/html' })).status).toBe(202);
    expect(await subscriber(email)).toMatchObject({
      status: 'pending',
      source: 'form',
      preferences: { topics: ['science', 'travel'], cadence: 'daily', format: 'full', hour: 18, weekday: 0 },
    });
  });

  it('reads "all" among the checked topics, or no topic at all, as every article', async () => {
    const all = newAddress('chooses-all');
    await subscribeWith(
      formOf([
        ['email', all],
        ['topics', 'all'],
        ['topics', 'science'],
      ]),
      'form',
    );
    expect((await subscriber(all))?.preferences?.topics).toBe('all');
  });

  it('keeps the one-field subscribe as it was: no choices, none stored', async () => {
    const email = newAddress('one-field');
    expect((await subscribe(email, { form: true })).status).toBe(202);
    const stored = await subscriber(email);
    expect(stored?.status).toBe('pending');
    expect(stored).not.toHaveProperty('preferences');
  });

  it.each([
    [
      'JSON: an unknown cadence',
      JSON.stringify({ email: 'x@example.com', preferences: { cadence: 'hourly' } }),
      'json',
      'preferences.cadence',
    ],
    ['JSON: preferences that are not an object', JSON.stringify({ email: 'x@example.com', preferences: 'weekly' }), 'json', 'preferences'],
    [
      'a form: an hour past 23',
      formOf([
        ['email', 'x@example.com'],
        ['hour', '25'],
      ]),
      'form',
      'preferences.hour',
    ],
    [
      'a form: an hour that is no number',
      formOf([
        ['email', 'x@example.com'],
        ['hour', 'noon'],
      ]),
      'form',
      'preferences.hour',
    ],
    [
      'a form: a weekday past Saturday',
      formOf([
        ['email', 'x@example.com'],
        ['weekday', '7'],
      ]),
      'form',
      'preferences.weekday',
    ],
    [
      'a form: a tag no site has',
      formOf([
        ['email', 'x@example.com'],
        ['topics', 'no such tag!'],
      ]),
      'form',
      'preferences.topics.0',
    ],
  ] as const)('refuses %s with a 422 naming the field, and queues nothing', async (_what, body, type, field) => {
    const before = harness.ses.accepted.length;
    const response = await subscribeWith(body, type);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await readJson<ProblemJson>(response)).errors.map((e) => e.field)).toContain(field);
    expect(harness.ses.accepted.length).toBe(before);
  });

  it('answers a browser that sent a bad choice with a page naming it, never a 5xx', async () => {
    const response = await subscribeWith(
      formOf([
        ['email', 'x@example.com'],
        ['cadence', 'hourly'],
      ]),
      'form',
      { Accept: 'text/html' },
    );
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('preferences.cadence');
  });
});

describe('the preference page', () => {
  const chosen = { topics: ['science'], cadence: 'weekly', format: 'full', hour: 8, weekday: 5 } as const;

  async function readerWithToken(status: Subscriber['status'], preferences?: typeof chosen) {
    const email = newAddress(`prefs-${status}`);
    const id = subscriberId(email);
    const at = NOW.toISOString();
    const record = { id, email, status, source: 'form', createdAt: at, updatedAt: at, generation: 1 };
    await harness.stores.subscribers.save(
      { ...record, ...(preferences ? { preferences: { ...preferences, topics: [...preferences.topics] } } : {}) },
      0,
    );
    return { email, token: issueToken(TOKEN_SECRET, 'preferences', id, NOW, 1) };
  }

  /** The checked radios and boxes and the selected options of a page's forms, as name=value. */
  function checkedOf(html: string): string[] {
    const found: string[] = [];
    const walk = (node: { name?: string; attribs?: Record<string, string>; children?: unknown[] }, select?: string) => {
      const a = node.attribs ?? {};
      if (node.name === 'input' && 'checked' in a) found.push(`${a.name}=${a.value}`);
      if (node.name === 'option' && 'selected' in a) found.push(`${select}=${a.value}`);
      for (const child of (node.children ?? []) as Array<typeof node>) walk(child, node.name === 'select' ? a.name : select);
    };
    walk(parseDocument(html) as unknown as Parameters<typeof walk>[0]);
    return found.sort();
  }

  it('shows a browser the reader’s choices as a form that posts back with the token, and changes nothing', async () => {
    const { email, token } = await readerWithToken('confirmed', chosen);
    const before = await subscriber(email);
    const page = await app.request(`/api/preferences?token=${token}`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain('form-action https://news.example.com');
    const html = await page.text();
    expect(html).toContain(email);
    expect(html).not.toMatch(/<script/i);
    const form = formsOf(html).find((f) => f.action === 'https://news.example.com/api/preferences');
    expect(form).toMatchObject({ method: 'post', fields: { token } });
    expect(checkedOf(html)).toEqual(['cadence=weekly', 'format=full', 'hour=8', 'topics=science', 'weekday=5']);
    expect(await subscriber(email)).toEqual(before);
  });

  it('gives other clients the choices as JSON, the defaults filling what the reader never chose', async () => {
    const { email, token } = await readerWithToken('pending');
    const response = await app.request(`/api/preferences?token=${token}`);
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      email,
      status: 'pending',
      preferences: { topics: 'all', cadence: 'digest', format: 'summary', hour: 7, weekday: 1 },
    });
  });

  it('saves what the page’s form posts and says it back', async () => {
    const { email, token } = await readerWithToken('confirmed');
    const body = formOf([
      ['token', token],
      ['cadence', 'weekly'],
      ['hour', '8'],
      ['weekday', '5'],
      ['format', 'full'],
      ['topics', 'science'],
      ['topics', 'travel, maps'],
    ]);
    const response = await app.request('/api/preferences', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(
      'Saved: articles tagged maps, science, travel, once a week on Friday at 08:00 (UTC), full articles.',
    );
    expect((await subscriber(email))?.preferences).toEqual({
      topics: ['maps', 'science', 'travel'],
      cadence: 'weekly',
      format: 'full',
      hour: 8,
      weekday: 5,
    });
  });

  it('saves JSON, the token in the query or the body, changing only the fields sent', async () => {
    const { email, token } = await readerWithToken('confirmed', chosen);
    const response = await app.request(`/api/preferences?token=${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ preferences: { topics: 'all' } }),
    });
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ status: 'saved', preferences: { ...chosen, topics: 'all' } });
    const inBody = await app.request('/api/preferences', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, preferences: { format: 'summary' } }),
    });
    expect(await readJson(inBody)).toEqual({ status: 'saved', preferences: { ...chosen, topics: 'all', format: 'summary' } });
    expect((await subscriber(email))?.preferences).toEqual({ ...chosen, topics: 'all', format: 'summary' });
  });

  it('reads the page’s topics with nothing checked and nothing typed as every article; a form without topics keeps them', async () => {
    const { email, token } = await readerWithToken('confirmed', chosen);
    await post('/api/preferences', { token, cadence: 'daily' });
    expect((await subscriber(email))?.preferences).toMatchObject({ topics: ['science'], cadence: 'daily' });
    await post('/api/preferences', { token, topics: '' });
    expect((await subscriber(email))?.preferences).toMatchObject({ topics: 'all', cadence: 'daily' });
  });

  it.each([
    ['JSON: an hour past 23', { 'Content-Type': 'application/json' }, JSON.stringify({ preferences: { hour: 24 } }), 'preferences.hour'],
    ['JSON: no preferences', { 'Content-Type': 'application/json' }, JSON.stringify({}), 'preferences'],
    ['a form: an unknown format', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'format=pdf', 'preferences.format'],
  ])('refuses %s with a 422 naming the field, and saves nothing', async (_what, headers, body, field) => {
    const { email, token } = await readerWithToken('confirmed', chosen);
    const before = await subscriber(email);
    const response = await app.request(`/api/preferences?token=${token}`, { method: 'POST', headers, body });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await readJson<ProblemJson>(response)).errors.map((e) => e.field)).toEqual([field]);
    expect(await subscriber(email)).toEqual(before);
  });

  it('shows a browser a refused choice on the form again, saying why, and saves nothing', async () => {
    const { email, token } = await readerWithToken('confirmed', chosen);
    const before = await subscriber(email);
    const response = await post('/api/preferences', { token, hour: '99' }, { Accept: 'text/html' });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Nothing was saved: the hour must be 0 to 23.');
    expect(formsOf(html).some((f) => f.action === 'https://news.example.com/api/preferences')).toBe(true);
    expect(await subscriber(email)).toEqual(before);
  });

  it.each([
    [
      'expired',
      () =>
        signToken(TOKEN_SECRET, {
          purpose: 'preferences',
          subject: subscriberId('x@example.com'),
          expiresAt: new Date(NOW.getTime() - 1000),
        }),
      'This link has expired',
    ],
    [
      'meant for unsubscribing',
      () => issueToken(TOKEN_SECRET, 'unsubscribe', subscriberId('x@example.com'), NOW),
      'This link does not work',
    ],
    ['meant for confirming', () => issueToken(TOKEN_SECRET, 'confirm', subscriberId('x@example.com'), NOW), 'This link does not work'],
    [
      'forged',
      () => `${issueToken(TOKEN_SECRET, 'preferences', subscriberId('x@example.com'), NOW).slice(0, -2)}AA`,
      'This link does not work',
    ],
    ['missing', () => '', 'This link does not work'],
  ])('refuses a %s token as the unsubscribe link does: a page, or a 422 naming the token', async (_what, token, title) => {
    const value = token();
    const page = await app.request(`/api/preferences?token=${value}`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain(title);
    for (const method of ['GET', 'POST']) {
      const json = await app.request(`/api/preferences?token=${value}`, { method });
      expect(json.status).toBe(422);
      expect((await readJson<ProblemJson>(json)).errors[0]?.field).toBe('token');
    }
  });

  it.each(['unsubscribed', 'bounced'] as const)('answers 409 for a subscription that ended (%s), and changes nothing', async (status) => {
    const { email, token } = await readerWithToken(status);
    const before = await subscriber(email);
    const read = await app.request(`/api/preferences?token=${token}`);
    expect(read.status).toBe(409);
    expect((await readJson<ProblemJson>(read)).errors[0]?.field).toBe('token');
    const save = await post(`/api/preferences?token=${token}`, { cadence: 'daily' });
    expect(save.status).toBe(409);
    const page = await post(`/api/preferences?token=${token}`, { cadence: 'daily' }, { Accept: 'text/html' });
    expect(page.status).toBe(409);
    expect(formsOf(await page.text()).some((f) => f.action === 'https://news.example.com/api/subscribe')).toBe(true);
    expect(await subscriber(email)).toEqual(before);
  });

  it('is offered right after confirming, with a link made for the subscription just confirmed', async () => {
    const { email } = await withStatus(newAddress('confirm-then-choose'), 'pending');
    const confirmToken = issueToken(TOKEN_SECRET, 'confirm', subscriberId(email), NOW);
    const confirmed = await post('/api/confirm', { token: confirmToken }, { Accept: 'text/html' });
    const link = /<a class="button" href="([^"]+)">Choose topics and how often<\/a>/.exec(await confirmed.text())?.[1];
    expect(link).toMatch(/^https:\/\/news\.example\.com\/api\/preferences\?token=/);
    const page = await app.request(new URL(link!.replaceAll('&amp;', '&')).pathname + new URL(link!).search, {
      headers: { Accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Choose what you receive');

    const again = await post('/api/confirm', { token: confirmToken });
    const { status, preferencesUrl } = await readJson<{ status: string; preferencesUrl: string }>(again);
    expect(status).toBe('already-confirmed');
    const url = new URL(preferencesUrl);
    expect(await readJson(await app.request(url.pathname + url.search))).toMatchObject({ email, status: 'confirmed' });
  });
});
