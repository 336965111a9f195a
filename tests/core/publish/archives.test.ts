import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../../functions/core/publish/ports.js';
import type { Article } from '../../../functions/core/article.js';
import { createArticle } from '../../../functions/core/content/create-article.js';
import { makeArticle } from '../../support/factories.js';
import { xmlTree } from '../../support/feed-readers.js';
import { makeSite } from '../../support/factories.js';
import { publishHarness } from '../../support/publish-harness.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
/** Archive pages of three articles: small enough to see every rule at work. */
const site = makeSite({ feedItemLimit: 3 });
const BASE = site.baseUrl;

type Harness = ReturnType<typeof publishHarness>;

/** Every RSS document from `start` back through prev-archive links: its key, guids and archive links. */
async function walkBack(h: Harness, start: string) {
  const documents: Array<{ key: string; guids: string[]; links: Record<string, string>; archive: boolean }> = [];
  for (let key: string | undefined = start; key !== undefined;) {
    const xml = await h.text(key);
    if (xml === undefined) throw new Error(`${key} is linked but missing`);
    const channel = xmlTree(xml).rss.channel;
    const links = Object.fromEntries((channel['atom:link'] as Array<Record<string, string>>).map((l) => [l['@rel'], l['@href']]));
    documents.push({
      key,
      guids: (channel.item ?? []).map((i: { guid: { '#text': string } }) => i.guid['#text']),
      links,
      archive: 'fh:archive' in channel,
    });
    key = links['prev-archive']?.slice(BASE.length);
  }
  return documents;
}

const archiveKeys = (written: string[]) => written.filter((key) => key.includes('archive/')).sort();
const ids = (articles: Article[]) => articles.map((a) => a.id).sort();

describe('RFC 5005 archived feeds', () => {
  it('never changes a closed page when back-dated articles arrive: they appear after it, each once', async () => {
    const h = publishHarness({ site });
    const first = Array.from({ length: 9 }, () => makeArticle({ tags: ['news'] }));
    for (const article of first) await createArticle(h.deps.articles, article, NOW);
    await h.publish(NOW);
    const closed = ['archive/feed-1.xml', 'archive/feed-2.xml', 'archive/feed-3.xml'];
    const before = await Promise.all(closed.map(h.text));

    // An import of an old archive: every article dated before the ones above, written now.
    const old = Array.from({ length: 30 }, (_, i) =>
      makeArticle({ tags: ['news'], published: new Date(Date.UTC(2020, 0, 1 + i)).toISOString() }),
    );
    for (const article of old) await createArticle(h.deps.articles, { ...article, updated: article.published }, later(1));
    const report = await h.publish(later(2));

    // Its items never change; the newest closed page only gains its link to the page closed after it.
    const withoutNextLink = (xml: string | undefined) => xml?.replace(/\s*<atom:link rel="next-archive"[^>]*\/>/, '');
    const after = await Promise.all(closed.map(h.text));
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
    expect(withoutNextLink(after[2])).toEqual(before[2]);
    expect(archiveKeys(report.written).filter((key) => closed.includes(key))).toEqual(['archive/feed-3.xml']);
    const documents = await walkBack(h, 'feed.xml');
    const guids = documents.flatMap((d) => d.guids);
    expect(documents.slice(1).every((d) => d.guids.length === 3)).toBe(true);
    expect(new Set(guids).size).toBe(39);
    expect([...new Set(guids)].sort()).toEqual(ids([...first, ...old]));
  });

  it('links the feed to archive pages of fixed size that reach back to the first article', async () => {
    const h = publishHarness({ site });
    const articles = Array.from({ length: 10 }, () => makeArticle({ tags: ['news'] }));
    for (const article of articles) await h.deps.articles.create(article);

    const report = await h.publish(NOW);
    const documents = await walkBack(h, 'feed.xml');

    expect(documents.map((d) => d.key)).toEqual(['feed.xml', 'archive/feed-3.xml', 'archive/feed-2.xml', 'archive/feed-1.xml']);
    expect(documents.slice(1).map((d) => d.guids.length)).toEqual([3, 3, 3]);
    expect([...new Set(documents.flatMap((d) => d.guids))].sort()).toEqual(ids(articles));
    expect(documents.map((d) => d.archive)).toEqual([false, true, true, true]);
    expect(documents[1]!.links).toMatchObject({ current: `${BASE}feed.xml`, 'prev-archive': `${BASE}archive/feed-2.xml` });
    expect(documents[2]!.links['next-archive']).toBe(`${BASE}archive/feed-3.xml`);
    expect(documents[1]!.links['next-archive']).toBeUndefined();
    expect(report.written).toEqual(expect.arrayContaining(['archive/atom-1.xml', 'archive/feed-1.json', 'tags/news/archive/feed-3.xml']));
  });

  it('caches archive pages for a day (never immutable: an edit or a retraction must reach them), the subscription feed briefly', async () => {
    const h = publishHarness({ site });
    for (let i = 0; i < 4; i++) await h.deps.articles.create(makeArticle());
    await h.publish(NOW);

    const page = await h.deps.objects.get('archive/feed-1.xml');
    const feed = await h.deps.objects.get('feed.xml');

    expect(page !== 'not-modified' && page?.cacheControl).toBe('public, max-age=86400');
    expect(feed !== 'not-modified' && feed?.cacheControl).toBe('public, max-age=300');
  });

  it('adds an article without rewriting any archive page until the open page fills, then closes it and links the one before', async () => {
    const h = publishHarness({ site });
    for (let i = 0; i < 7; i++) await h.deps.articles.create(makeArticle({ tags: ['news'] }));
    await h.publish(NOW);

    await h.deps.articles.create(makeArticle({ tags: ['news'], published: later(1).toISOString() }));
    const second = await h.publish(later(2));
    await h.deps.articles.create(makeArticle({ tags: ['news'], published: later(3).toISOString() }));
    const third = await h.publish(later(4));

    expect(archiveKeys(second.written)).toEqual([]);
    // Page 3 is new; page 2 gains its next-archive link (JSON Feed has none, so its JSON stays).
    expect(archiveKeys(third.written)).toEqual(
      ['archive/', 'tags/news/archive/']
        .flatMap((p) => [`${p}feed-2.xml`, `${p}atom-2.xml`, `${p}feed-3.xml`, `${p}atom-3.xml`, `${p}feed-3.json`])
        .sort(),
    );
    expect((await walkBack(h, 'feed.xml')).map((d) => d.key)).toEqual([
      'feed.xml',
      'archive/feed-3.xml',
      'archive/feed-2.xml',
      'archive/feed-1.xml',
    ]);
  });

  it('rewrites only the page that held a deleted article, keeping every page number', async () => {
    const h = publishHarness({ site });
    const articles = Array.from({ length: 10 }, () => makeArticle({ tags: [] }));
    for (const article of articles) await h.deps.articles.create(article);
    await h.publish(NOW);

    await h.deps.articles.delete(articles[1]!.slug);
    const report = await h.publish(later(1));
    const documents = await walkBack(h, 'feed.xml');

    expect(archiveKeys(report.written)).toEqual(['archive/atom-1.xml', 'archive/feed-1.json', 'archive/feed-1.xml']);
    expect(documents.map((d) => d.guids.length)).toEqual([3, 3, 3, 2]);
    expect([...new Set(documents.flatMap((d) => d.guids))].sort()).toEqual(ids(articles.filter((_, i) => i !== 1)));
  });

  it('moves an article whose date changed from its old page to its new one', async () => {
    const h = publishHarness({ site });
    const articles = Array.from({ length: 10 }, () => makeArticle({ tags: [] }));
    for (const article of articles) await h.deps.articles.create(article);
    await h.publish(NOW);

    const moved = articles[0]!;
    const stored = (await h.deps.articles.get(moved.slug))!;
    await h.deps.articles.update({ ...stored, published: articles[4]!.published, updated: articles[4]!.published }, stored.version);
    const report = await h.publish(later(1));
    const pages = await walkBack(h, 'feed.xml');

    expect(archiveKeys(report.written).filter((k) => k.endsWith('.xml') && k.includes('feed-'))).toEqual([
      'archive/feed-1.xml',
      'archive/feed-2.xml',
    ]);
    expect(pages.find((d) => d.key === 'archive/feed-1.xml')!.guids).not.toContain(moved.id);
    expect(pages.find((d) => d.key === 'archive/feed-2.xml')!.guids).toContain(moved.id);
  });

  it('rebuilds on a full publish, byte for byte, the pages the incremental publishes wrote', async () => {
    const h = publishHarness({ site });
    for (let i = 0; i < 10; i++) await h.deps.articles.create(makeArticle({ tags: ['news'] }));
    await h.publish(NOW);
    await h.deps.articles.create(makeArticle({ tags: ['news'], published: later(1).toISOString() }));
    await h.publish(later(2));
    const before = await contents(h.deps.objects);

    const full = await h.publish(later(3), { full: true });

    expect(full.deleted).toEqual([]);
    expect([...full.written].sort()).toEqual([...before.keys()].sort());
    expect(await contents(h.deps.objects)).toEqual(before);
  });

  it('deletes the archive of a tag left without articles', async () => {
    const h = publishHarness({ site });
    const tagged = Array.from({ length: 4 }, () => makeArticle({ tags: ['gone'] }));
    for (const article of tagged) await h.deps.articles.create(article);
    await h.publish(NOW);

    for (const article of tagged) await h.deps.articles.delete(article.slug);
    const report = await h.publish(later(1));

    expect(report.deleted).toEqual(
      expect.arrayContaining([
        'tags/gone/archive/feed-1.xml',
        'tags/gone/archive/atom-1.xml',
        'tags/gone/archive/feed-1.json',
        'tags/gone/feeds/index.html',
      ]),
    );
  });
});

describe('sitemaps', () => {
  it('lists every article page once, across the sitemaps of closed pages and the latest one', async () => {
    const h = publishHarness({ site });
    const articles = Array.from({ length: 7 }, () => makeArticle({ tags: ['news'] }));
    for (const article of articles) await h.deps.articles.create(article);
    await h.publish(NOW);

    const index = xmlTree((await h.text('sitemap.xml'))!).sitemapindex.sitemap as Array<{ loc: string }>;
    const sitemaps = await Promise.all(index.map((s) => h.text(s.loc.slice(BASE.length))));
    const locs = sitemaps.flatMap((xml) => [xml!.matchAll(/<loc>([^<]+)<\/loc>/g)].flatMap((m) => [...m].map((x) => x[1]!)));

    expect(index.map((s) => s.loc)).toEqual([
      `${BASE}sitemaps/pages.xml`,
      `${BASE}sitemaps/articles-1.xml`,
      `${BASE}sitemaps/articles-2.xml`,
      `${BASE}sitemaps/articles-latest.xml`,
    ]);
    expect(locs.filter((l) => l.includes('/articles/')).sort()).toEqual(articles.map((a) => `${BASE}articles/${a.slug}/`).sort());
    expect(locs).toEqual(expect.arrayContaining([BASE, `${BASE}tags/news/`]));
    expect(await h.text('robots.txt')).toContain(`Sitemap: ${BASE}sitemap.xml`);
  });
});

/** Every object of the bucket, its headers and bytes, by key. */
async function contents(objects: ObjectStore): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const { key } of objects.list()) {
    const object = await objects.get(key);
    if (object && object !== 'not-modified')
      found.set(key, `${object.contentType} ${object.cacheControl} ${Buffer.from(object.body).toString('utf8')}`);
  }
  return found;
}
