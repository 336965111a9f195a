import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';
import type { StoredArticle } from '../../functions/core/article.js';
import { articleJson, auth, buildApi, jsonHeaders, readJson, type ProblemJson } from './harness.js';

let aws: LocalAws;
let api: ReturnType<typeof buildApi>;

beforeAll(async () => {
  aws = await startLocalAws();
  api = buildApi(aws);
});
afterAll(() => aws.close());

const post = (body: unknown, headers: Record<string, string> = jsonHeaders) =>
  api.app.request('/api/articles', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('the article lifecycle over HTTP', () => {
  it('creates, reads, lists, replaces and deletes an article', async () => {
    const input = articleJson({ title: 'Lifecycle', slug: 'lifecycle', tags: ['Open Source'] });

    const created = await post(input);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/articles/lifecycle');
    expect(created.headers.get('etag')).toBe('"1"');
    const stored = await readJson<StoredArticle>(created);
    expect(stored).toMatchObject({ slug: 'lifecycle', title: 'Lifecycle', version: 1, tags: ['open-source'], draft: false });
    expect(stored.html).toContain('<em>Markdown</em>');

    const read = await api.app.request('/api/articles/lifecycle', { headers: auth });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(await readJson<StoredArticle>(read)).toEqual(stored);

    const listed = await api.app.request('/api/articles?limit=100', { headers: auth });
    expect(listed.status).toBe(200);
    expect((await readJson<{ items: StoredArticle[] }>(listed)).items.map((a) => a.slug)).toContain('lifecycle');

    const replaced = await api.app.request('/api/articles/lifecycle', {
      method: 'PUT',
      headers: { ...jsonHeaders, 'If-Match': '"1"' },
      body: JSON.stringify({ title: 'Lifecycle, revised', body: 'New text.' }),
    });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    const revised = await readJson<StoredArticle>(replaced);
    expect(revised).toMatchObject({
      slug: 'lifecycle',
      title: 'Lifecycle, revised',
      version: 2,
      id: stored.id,
      published: stored.published,
      tags: [],
    });

    const deleted = await api.app.request('/api/articles/lifecycle', { method: 'DELETE', headers: { ...auth, 'If-Match': '"2"' } });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await api.app.request('/api/articles/lifecycle', { headers: auth })).status).toBe(404);
  });

  it('keeps the stored id on an edit even when the body sends another one', async () => {
    const created = await readJson<StoredArticle>(await post(articleJson({ slug: 'keeps-its-id' })));
    const replaced = await api.app.request('/api/articles/keeps-its-id', {
      method: 'PUT',
      headers: { ...jsonHeaders, 'If-Match': '"1"' },
      body: JSON.stringify(articleJson({ slug: 'keeps-its-id', id: 'urn:uuid:11111111-2222-5333-8444-555555555555' })),
    });
    expect(replaced.status).toBe(200);
    expect((await readJson<StoredArticle>(replaced)).id).toBe(created.id);
  });

  it('keeps the slug of an article edited with Markdown whose new title would make another', async () => {
    await post('---\ntitle: First title\ndate: 2025-04-22\n---\nText.\n', { ...auth, 'Content-Type': 'text/markdown' });
    const replaced = await api.app.request('/api/articles/first-title', {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'text/markdown', 'If-Match': '"1"' },
      body: '---\ntitle: A better title\n---\nText.\n',
    });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ slug: 'first-title', title: 'A better title', published: '2025-04-22T00:00:00.000Z' });
  });

  it('stamps an edit that does not say when it was updated with the time of the edit', async () => {
    await post(articleJson({ slug: 'stamped', published: '2025-04-22T08:00:00.000Z' }));
    const replaced = await api.app.request('/api/articles/stamped', {
      method: 'PUT',
      headers: { ...jsonHeaders, 'If-Match': '"1"' },
      body: JSON.stringify(articleJson({ slug: 'stamped', title: 'Corrected', published: '2025-04-22T08:00:00.000Z' })),
    });
    expect(await replaced.json()).toMatchObject({ published: '2025-04-22T08:00:00.000Z', updated: api.deps.now().toISOString() });
  });

  it('accepts If-Match: * as "whatever version is current"', async () => {
    await post(articleJson({ slug: 'any-version' }));
    const replaced = await api.app.request('/api/articles/any-version', {
      method: 'PUT',
      headers: { ...jsonHeaders, 'If-Match': '*' },
      body: JSON.stringify(articleJson({ slug: 'any-version', title: 'Overwritten' })),
    });
    expect(replaced.status).toBe(200);
    expect((await readJson<StoredArticle>(replaced)).title).toBe('Overwritten');
  });

  it('creates an article from Markdown with front matter', async () => {
    const markdown = [
      '---',
      'title: From Markdown',
      'slug: from-markdown',
      'date: 2025-04-22',
      'tags: [Release, News]',
      '---',
      '',
      'A **bold** start.',
      '',
    ].join('\n');
    const created = await post(markdown, { ...auth, 'Content-Type': 'text/markdown; charset=utf-8' });
    expect(created.status).toBe(201);
    const article = await readJson<StoredArticle>(created);
    expect(article).toMatchObject({
      slug: 'from-markdown',
      title: 'From Markdown',
      tags: ['release', 'news'],
      published: '2025-04-22T00:00:00.000Z',
    });
    expect(article.html).toContain('<strong>bold</strong>');
  });

  it('creates an article whose list item holds a quote ending in a list with a lazy line, on which marked throws (it was a 500)', async () => {
    const created = await post('---\ntitle: Quoted list\n---\n* item\n  > 2) two\nplain text\n', {
      ...auth,
      'Content-Type': 'text/markdown',
    });
    expect(created.status).toBe(201);
    expect((await readJson<StoredArticle>(created)).html).toContain('<blockquote>\n<ol start="2">\n<li>two\nplain text</li>');
  });

  it('dates Markdown without a date now, and replaces it with Markdown keeping its date', async () => {
    const created = await post('---\ntitle: Undated note\n---\nJust a note.\n', { ...auth, 'Content-Type': 'text/markdown' });
    expect(created.status).toBe(201);
    const article = await readJson<StoredArticle>(created);
    expect(article).toMatchObject({ slug: 'undated-note', published: api.deps.now().toISOString() });

    const replaced = await api.app.request('/api/articles/undated-note', {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'text/markdown', 'If-Match': '"1"' },
      body: '---\ntitle: Undated note\n---\nA longer note.\n',
    });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ version: 2, published: article.published, text: 'A longer note.' });
  });

  it('answers a conditional GET for the current version with 304', async () => {
    await post(articleJson({ slug: 'not-modified' }));
    const response = await api.app.request('/api/articles/not-modified', { headers: { ...auth, 'If-None-Match': '"1"' } });
    expect(response.status).toBe(304);
  });
});

describe('listing articles', () => {
  it('walks every article a page at a time, in slug order, through nextCursor and a Link header', async () => {
    const slugs = ['page-walk-a', 'page-walk-b', 'page-walk-c', 'page-walk-d', 'page-walk-e'];
    for (const slug of slugs) expect((await post(articleJson({ slug }))).status).toBe(201);

    const seen: string[] = [];
    let url: string | undefined = '/api/articles?limit=2';
    let pages = 0;
    while (url) {
      const response: Response = await api.app.request(url, { headers: auth });
      expect(response.status).toBe(200);
      const page = await readJson<{ items: StoredArticle[]; nextCursor?: string }>(response);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.slug));
      const link = response.headers.get('link');
      if (page.nextCursor) expect(link).toBe(`</api/articles?limit=2&cursor=${page.nextCursor}>; rel="next"`);
      else expect(link).toBeNull();
      url = page.nextCursor ? `/api/articles?limit=2&cursor=${page.nextCursor}` : undefined;
      pages++;
    }
    expect(seen.filter((slug) => slugs.includes(slug))).toEqual(slugs);
    expect(seen).toEqual([...seen].sort());
    expect(pages).toBe(Math.ceil(seen.length / 2));
  });

  it('uses 20 items a page when no limit is given', async () => {
    for (let i = 0; i < 21; i++) expect((await post(articleJson({ slug: `default-page-${i}` }))).status).toBe(201);
    const response = await api.app.request('/api/articles', { headers: auth });
    expect(response.status).toBe(200);
    const page = await readJson<{ items: StoredArticle[]; nextCursor?: string }>(response);
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).toEqual(expect.any(String));
  });
});

describe('every API response', () => {
  it.each(['/api/health', '/api/articles', '/api/no-such-route'])('is marked not to be cached or sniffed: %s', async (path) => {
    const response = await api.app.request(path);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('says the API is healthy', async () => {
    const response = await api.app.request('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('feed ids over HTTP', () => {
  it('refuses a second article with the id of another (409 naming the id and its holder)', async () => {
    const first = await readJson<StoredArticle>(await post(articleJson()));
    const second = await post(articleJson({ id: first.id }));
    expect(second.status).toBe(409);
    expect((await readJson<ProblemJson>(second)).errors).toEqual([{ field: 'id', message: `is the id of the article "${first.slug}"` }]);
  });

  it('gives an article written again on the slug of a deleted one a new id, so readers see a new item', async () => {
    const input = articleJson({ slug: 'comes-back' });
    const before = await readJson<StoredArticle>(await post(input));
    expect((await api.app.request('/api/articles/comes-back', { method: 'DELETE', headers: auth })).status).toBe(204);

    const again = await post(input);

    expect(again.status).toBe(201);
    const after = await readJson<StoredArticle>(again);
    expect(after.slug).toBe('comes-back');
    expect(after.id).not.toBe(before.id);
  });
});
