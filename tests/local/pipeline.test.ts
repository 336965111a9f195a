/**
 * End to end on the local stack, as `npm start` runs it: content/ is imported, published to
 * s3rver and served with the API on one origin. The seed article must reach every output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalApp, type LocalApp } from '../../functions/local/local-app.js';
import { projectRoot, startLocalStack, type LocalStack } from '../../functions/wiring/local.js';
import { readers } from '../support/feed-readers.js';

const SEED_TITLE = 'Russia and Ukraine Indicate Willingness for Direct Talks Amid Pressure from Trump';
const SEED_SLUG = 'russia-and-ukraine-indicate-willingness-for-direct-talks-amid-pressure-from';
const contentDir = join(projectRoot.pathname, 'content');

let dataDir: string;
let stack: LocalStack;
let local: LocalApp;
let firstReport: Awaited<ReturnType<LocalApp['publisher']['publishNow']>>;

const start = async () => {
  stack = await startLocalStack({ env: { PRESSRUN_DATA_DIR: dataDir, PRESSRUN_API_TOKEN: 'local-test-token' }, port: 8787 });
  local = createLocalApp(stack, { contentDir });
};
const get = (path: string, headers: Record<string, string> = {}) => local.app.request(path, { headers });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pressrun-pipeline-'));
  await start();
  firstReport = await local.publisher.publishNow();
});
afterAll(async () => {
  await local.publisher.close();
  await stack.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local pipeline from content/ to published objects', () => {
  it('publishes everything on the first run', () => {
    expect(firstReport?.full).toBe(true);
    expect(firstReport?.written).toEqual(
      expect.arrayContaining([`articles/${SEED_SLUG}/index.html`, 'feed.xml', 'atom.xml', 'feed.json', 'index.html']),
    );
  });

  it('serves the seed article at its page URL', async () => {
    const page = await get(`/articles/${SEED_SLUG}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain(SEED_TITLE);
    expect(html).toContain('ready for any conversation');
    expect(html).not.toContain('Previous Post');
  });

  it.each([
    ['/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
  ])('lists the seed article in %s, as two independent feed readers read it', async (path, type) => {
    const response = await get(path);
    expect(response.headers.get('content-type')).toBe(type);
    const xml = await response.text();
    for (const reader of readers) {
      const feed = await reader.read(xml);
      const seed = feed.items.find((item) => item.link === `http://localhost:8787/articles/${SEED_SLUG}/`);
      expect(seed, reader.name).toBeDefined();
      expect(seed!.title).toBe(SEED_TITLE);
      expect(seed!.published.slice(0, 10)).toBe('2025-04-22');
      expect(seed!.id).toMatch(/^urn:uuid:/);
    }
  });

  it('lists the seed article in the JSON Feed 1.1', async () => {
    const response = await get('/feed.json');
    expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = (await response.json()) as { version: string; items: Array<{ title: string; url: string; content_html: string }> };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    const seed = feed.items.find((item) => item.title === SEED_TITLE);
    expect(seed?.url).toBe(`http://localhost:8787/articles/${SEED_SLUG}/`);
    expect(seed?.content_html).toContain('Kremlin');
  });

  it('puts the seed article in the digest and publishes its web version', async () => {
    const digests = await stack.stores.digests.list();
    expect(digests.length).toBeGreaterThan(0);
    const digest = await stack.stores.digests.get(digests[0]!.id);
    expect(digest?.articleSlugs).toContain(SEED_SLUG);
    expect(digest?.html).toContain(SEED_TITLE);
    expect(digest?.text).toContain(SEED_TITLE);
    const web = await get(`/digests/${digest!.id}/`);
    expect(web.status).toBe(200);
    expect(await web.text()).toContain(SEED_TITLE);
  });

  it('answers a conditional GET with 304, as CloudFront would', async () => {
    const first = await get('/feed.xml');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toBeTruthy();
    expect((await get('/feed.xml', { 'If-None-Match': etag })).status).toBe(304);
    expect((await get('/feed.xml', { 'If-Modified-Since': lastModified })).status).toBe(304);
    expect((await get('/feed.xml', { 'If-None-Match': '"something-else"' })).status).toBe(200);
  });

  it('redirects a page URL without its trailing slash and answers 404 for what does not exist', async () => {
    const redirect = await get(`/articles/${SEED_SLUG}`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe(`/articles/${SEED_SLUG}/`);
    expect((await get('/articles/no-such-article/')).status).toBe(404);
    expect((await get('/../../etc/passwd')).status).toBe(404);
  });

  it('serves the API on the same origin, with problem documents for unknown API paths', async () => {
    expect((await get('/api/health')).status).toBe(200);
    const missing = await get('/api/no-such-route');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });

  it('writes nothing and keeps feeds byte-identical when nothing changed', async () => {
    const before = await Promise.all(['/feed.xml', '/atom.xml', '/feed.json'].map(async (p) => (await get(p)).text()));
    const report = await local.publisher.publishNow();
    expect(report?.written).toEqual([]);
    const after = await Promise.all(['/feed.xml', '/atom.xml', '/feed.json'].map(async (p) => (await get(p)).text()));
    expect(after).toEqual(before);
  });

  it('keeps its data across a restart', async () => {
    const etag = (await get('/feed.xml')).headers.get('etag');
    await local.publisher.close();
    await stack.close();
    await start();
    const report = await local.publisher.publishNow();
    expect(report?.full).toBe(false);
    expect(report?.written).toEqual([]);
    expect((await get('/feed.xml')).headers.get('etag')).toBe(etag);
  });
});
