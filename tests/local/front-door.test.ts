/**
 * What a new user meets on `npm start`, tried the way they would: opening links from the
 * local inbox, mistyping an address, trying the form a few times, a URL that names nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApp, type LocalApp } from '../../functions/local/local-app.js';
import { projectRoot, startLocalStack, type LocalStack } from '../../functions/wiring/local.js';

let dataDir: string;
let stack: LocalStack;
let local: LocalApp;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pressrun-front-door-'));
  stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_API_TOKEN: 'local-test-token' }, port: 8787 });
  local = createLocalApp(stack, { contentDir: join(projectRoot.pathname, 'content') });
  await local.publisher.publishNow();
});
afterAll(async () => {
  await local.publisher.close();
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
});

const page = { Accept: 'text/html' };
const form = (email: string) => ({
  method: 'POST',
  headers: { ...page, 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ email }).toString(),
});

describe('links opened from the local inbox', () => {
  it('open in the inbox’s frame: the subscription pages let the inbox’s origin frame them', async () => {
    const response = await local.app.request('/api/confirm?token=not-a-token', { headers: page });
    const policy = response.headers.get('content-security-policy') ?? '';
    const inbox = new URL(stack.mail.inboxUrl!);
    expect(policy).toContain(`frame-ancestors http://localhost:${inbox.port} http://127.0.0.1:${inbox.port}`);
  });
});

describe('the subscribe form', () => {
  it('offered again after a refusal keeps the typed address, in the site’s own subscribe box', async () => {
    const response = await local.app.request('/api/subscribe', form('reader@@example'));
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toMatch(/<section class="subscribe"[^>]*><form method="post"/);
    expect(html).toContain('value="reader@@example"');
  });

  it('can be tried a few times without locking the address out for an hour', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await local.app.request('/api/subscribe', form('trying@example.com'))).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
  });
});

describe('the local site', () => {
  it('answers a URL that names nothing with the site’s 404 page', async () => {
    const response = await local.app.request('/no/such/page/');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('Page not found');
    expect(html).toContain('class="site-header"');
  });

  it('gives every page an icon, published with the site', async () => {
    const home = await (await local.app.request('/')).text();
    expect(home).toContain('<link rel="icon" type="image/svg+xml" href="http://localhost:8787/favicon.svg"/>');
    const icon = await local.app.request('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toMatch(/^<svg /);
  });
});
