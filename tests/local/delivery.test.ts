/**
 * The whole subscription loop on the local stack, against a real SMTP server (maildev, as
 * `npm start` runs it): subscribe with the site's form, confirm from the mail, publish, and
 * read the digest each reader received, parsed the way a mail client would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEmail, subscriberId } from '../../functions/core/subscribers/email.js';
import { createLocalApp, type LocalApp } from '../../functions/local/local-app.js';
import { projectRoot, startLocalStack, type LocalStack } from '../../functions/wiring/local.js';
import { headerCount, headerValue, oneClickUrl, parseMail } from '../support/mail.js';

const READERS = ['Ada@Example.com', 'grace@example.org', 'linus@example.net'];
/** The links each reader was mailed, by normalized address, for the tests that use them again. */
const confirmLinks = new Map<string, string>();
const unsubscribeLinks = new Map<string, string>();

let dataDir: string;
let stack: LocalStack;
let local: LocalApp;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pressrun-delivery-'));
  stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_API_TOKEN: 'local-test-token' }, port: 8787 });
  local = createLocalApp(stack, { contentDir: join(projectRoot.pathname, 'content') });
  await local.publisher.publishNow();
  await stack.sendQueue.idle();
});
afterAll(async () => {
  await local?.publisher.close();
  await stack?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const pathOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

async function mailsTo(address: string, subject: RegExp) {
  const caught = (await stack.mail.list()).filter((m) => m.to.includes(address) && subject.test(m.subject));
  return Promise.all(caught.map(async (m) => ({ raw: await stack.mail.raw(m.id) })));
}

/** Subscribes `email` with the site's form, then waits until the send worker has carried the request out. */
async function subscribeWithForm(email: string) {
  const response = await local.app.request('/api/subscribe', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
    body: new URLSearchParams({ email }).toString(),
  });
  expect(response.status).toBe(202);
  await stack.mailQueue.idle();
}

const confirmLinkIn = async (raw: Buffer | string) =>
  /(http:\/\/localhost:8787\/api\/confirm\?token=\S+)/.exec((await parseMail(raw)).text ?? '')?.[1];

const postForm = (path: string, fields: Record<string, string>) =>
  local.app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

async function publishArticle(title: string) {
  const headers = { Authorization: 'Bearer local-test-token', 'Content-Type': 'application/json' };
  const created = await local.app.request('/api/articles', {
    method: 'POST',
    headers,
    body: JSON.stringify({
      title,
      body: `${title}: the full story.`,
      tags: ['local'],
      published: new Date(Date.now() - 60_000).toISOString(),
    }),
  });
  expect(created.status).toBe(201);
  expect((await local.app.request('/api/publish', { method: 'POST', headers })).status).toBe(202);
  await local.publisher.idle();
  await stack.sendQueue.idle();
}

describe('subscribing, confirming and receiving the digest by mail', () => {
  it('sends each reader who used the site form a confirmation mail with a working link', async () => {
    for (const email of READERS) await subscribeWithForm(email);
    for (const email of READERS) {
      const [mail] = await mailsTo(normalizeEmail(email), /^Confirm your subscription/);
      expect(mail).toBeDefined();
      expect(headerValue(mail!.raw, 'Content-Type')).toMatch(/^multipart\/alternative/);
      const parsed = await parseMail(mail!.raw);
      const link = await confirmLinkIn(mail!.raw);
      expect(link).toBeDefined();
      expect(parsed.html).toContain(`href="${link}"`);
      confirmLinks.set(normalizeEmail(email), link!);

      // The link opens a page; its button confirms.
      const page = await local.app.request(pathOf(link!), { headers: { Accept: 'text/html' } });
      expect(page.status).toBe(200);
      const token = new URL(link!).searchParams.get('token')!;
      const confirmed = await local.app.request('/api/confirm', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
      expect(await confirmed.json()).toMatchObject({ status: 'confirmed' });
    }
  });

  it('mails the next digest to every confirmed reader, once, with working one-click unsubscribe headers', async () => {
    await publishArticle('Bridge reopens after repairs');
    const urls = new Set<string>();
    for (const email of READERS.map(normalizeEmail)) {
      const digests = await mailsTo(email, /^Pressrun \(local\): Bridge reopens/);
      expect(digests).toHaveLength(1);
      const { raw } = digests[0]!;
      expect(headerValue(raw, 'Content-Type')).toMatch(/^multipart\/alternative/);
      expect(headerCount(raw, 'List-Unsubscribe')).toBe(1);
      expect(headerCount(raw, 'List-Unsubscribe-Post')).toBe(1);
      expect(headerValue(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(headerCount(raw, 'List-Id')).toBe(1);
      expect(headerValue(raw, 'List-Unsubscribe')).toMatch(/^<http:\/\/localhost:8787\/api\/unsubscribe\?token=[^>]+>, <mailto:/);

      const parsed = await parseMail(raw);
      expect(parsed.text).toContain('Bridge reopens after repairs');
      for (const part of [parsed.html || '', parsed.text ?? '', raw.toString()]) {
        expect(part).not.toMatch(/\{\{\{|pressrun:(unsubscribe|web_version)_url/);
      }
      const url = oneClickUrl(raw);
      expect(parsed.text).toContain(url);
      expect(parsed.html).toContain(url);
      urls.add(url);
    }
    expect(urls.size).toBe(READERS.length);
  });

  it('unsubscribes a reader with the one-click POST their digest names, and the next digest skips them', async () => {
    const leaving = normalizeEmail(READERS[0]!);
    const [digest] = await mailsTo(leaving, /^Pressrun \(local\): Bridge reopens/);
    unsubscribeLinks.set(leaving, oneClickUrl(digest!.raw));
    const response = await local.app.request(pathOf(oneClickUrl(digest!.raw)), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(response.status).toBe(200);
    expect((await stack.stores.subscribers.get(subscriberId(leaving)))?.status).toBe('unsubscribed');

    await publishArticle('Library extends its hours');
    expect(await mailsTo(leaving, /Library extends/)).toHaveLength(0);
    for (const email of READERS.slice(1).map(normalizeEmail)) expect(await mailsTo(email, /Library extends/)).toHaveLength(1);
  });

  it('keeps each link to its subscription: after subscribing again, the old confirmation and unsubscribe links act on nothing', async () => {
    const returning = normalizeEmail(READERS[0]!);
    const status = async () => (await stack.stores.subscribers.get(subscriberId(returning)))?.status;
    await subscribeWithForm(READERS[0]!);
    const confirmations = await Promise.all((await mailsTo(returning, /^Confirm your subscription/)).map((m) => confirmLinkIn(m.raw)));
    expect(confirmations).toHaveLength(2);
    const newConfirm = confirmations.find((link) => link !== confirmLinks.get(returning))!;
    expect(newConfirm).toBeDefined();

    const oldConfirm = new URL(confirmLinks.get(returning)!).searchParams.get('token')!;
    expect((await postForm('/api/confirm', { token: oldConfirm })).status).toBe(409);
    expect(await status()).toBe('pending');
    expect(await (await postForm('/api/confirm', { token: new URL(newConfirm).searchParams.get('token')! })).json()).toMatchObject({
      status: 'confirmed',
    });

    expect((await postForm(pathOf(unsubscribeLinks.get(returning)!), { 'List-Unsubscribe': 'One-Click' })).status).toBe(409);
    expect(await status()).toBe('confirmed');

    await publishArticle('Market moves to the square');
    const [digest] = await mailsTo(returning, /Market moves/);
    expect((await postForm(pathOf(oneClickUrl(digest!.raw)), { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    expect(await status()).toBe('unsubscribed');
  });
});
