import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildFeeds, FEED_CONTENT_TYPES, type BuiltFeeds } from '../../../functions/core/feeds/build-feeds.js';
import { EMPTY_UPDATED, makeArticle, makeArticles, makeSite, publishedOnDay } from '../../support/factories.js';
import { readers, xmlTree } from '../../support/feed-readers.js';

const build = (articleList = makeArticles(3), tag?: string) =>
  buildFeeds({ site: makeSite(), articles: articleList, emptyUpdated: EMPTY_UPDATED, ...(tag === undefined ? {} : { scope: { tag } }) });

/** What each format says about itself: title, the page it mirrors, its own URL and its date. */
const describeItself: Record<keyof BuiltFeeds, (body: string) => { title: string; home: string; self: string; updated?: string }> = {
  rss: (body) => {
    const channel = xmlTree(body).rss.channel;
    return {
      title: channel.title,
      home: channel.link,
      self: channel['atom:link'][0]['@href'],
      updated: new Date(channel.lastBuildDate).toISOString(),
    };
  },
  atom: (body) => {
    const feed = xmlTree(body).feed;
    const self = feed.link.find((l: Record<string, string>) => l['@rel'] === 'self');
    const home = feed.link.find((l: Record<string, string>) => l['@rel'] === 'alternate');
    return { title: feed.title, home: home['@href'], self: self['@href'], updated: feed.updated };
  },
  json: (body) => {
    const feed = JSON.parse(body);
    // JSON Feed has no feed-level date.
    return { title: feed.title, home: feed.home_page_url, self: feed.feed_url };
  },
};

describe('buildFeeds', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['rss', 'https://news.example.com/feed.xml'],
    ['atom', 'https://news.example.com/atom.xml'],
    ['json', 'https://news.example.com/feed.json'],
  ] as const)('gives the site-wide %s feed the site title, the home page and its own public URL', (format, self) => {
    expect(describeItself[format](build()[format])).toMatchObject({ title: 'Example News', home: 'https://news.example.com/', self });
  });

  it.each([
    ['rss', 'https://news.example.com/tags/open-source/feed.xml'],
    ['atom', 'https://news.example.com/tags/open-source/atom.xml'],
    ['json', 'https://news.example.com/tags/open-source/feed.json'],
  ] as const)('points the %s feed of a tag at the tag page and at tags/<tag>/ for itself', (format, self) => {
    const feeds = build([makeArticle({ slug: 'tagged', tags: ['open-source'] })], 'open-source');

    expect(describeItself[format](feeds[format])).toMatchObject({
      title: 'Example News — open-source',
      home: 'https://news.example.com/tags/open-source/',
      self,
    });
  });

  it.each(['rss', 'atom'] as const)('dates the %s feed with the newest updated among the articles', (format) => {
    const edited = makeArticle({ slug: 'edited-later', published: '2025-04-01T10:00:00.000Z', updated: '2025-04-09T12:30:00.000Z' });
    const newest = makeArticle({ slug: 'newest', published: '2025-04-05T10:00:00.000Z', updated: '2025-04-05T10:00:00.000Z' });

    const feeds = build([newest, edited]);

    expect(describeItself[format](feeds[format]).updated).toBe(edited.updated);
  });

  it.each(['rss', 'atom'] as const)('dates an empty %s feed with emptyUpdated, never with the current time', (format) => {
    vi.useFakeTimers({ now: new Date('2031-06-15T12:00:00.000Z') });

    const feeds = build([]);

    expect(describeItself[format](feeds[format]).updated).toBe(EMPTY_UPDATED);
    expect(feeds[format]).not.toContain('2031');
  });

  it('gives byte-identical feeds for the same input, however far the clock moves in between', () => {
    const articles = makeArticles(4);
    const input = () => ({ site: makeSite(), articles: structuredClone(articles), emptyUpdated: EMPTY_UPDATED });
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z') });
    const first = buildFeeds(input());

    vi.setSystemTime(new Date('2033-07-04T09:30:00.000Z'));
    const second = buildFeeds(input());

    expect(second).toEqual(first);
    // The clock's years as a date would carry them (ISO 8601, RFC 822), not as digits inside an id or a hash.
    for (const body of Object.values(second)) expect(body).not.toMatch(/(?<![0-9a-f-])20(?:30|33)-\d\d-|\s20(?:30|33)\s/);
  });

  it('gives byte-identical feeds whatever order the articles arrive in', () => {
    const sameDay = [
      makeArticle({ slug: 'b-second', ...publishedOnDay(7) }),
      makeArticle({ slug: 'a-first', ...publishedOnDay(7) }),
      makeArticle({ slug: 'older', ...publishedOnDay(2) }),
    ];

    const inOrder = build(sameDay);
    const reversed = build([...sameDay].reverse());

    expect(reversed).toEqual(inOrder);
    expect(xmlTree(inOrder.rss).rss.channel.item.map((i: { link: string }) => i.link)).toEqual([
      'https://news.example.com/articles/a-first/',
      'https://news.example.com/articles/b-second/',
      'https://news.example.com/articles/older/',
    ]);
  });

  it.each(readers)('writes a valid feed of 50 articles with 50 distinct ids that $name reads in full', async (reader) => {
    // Newest first, as a feed lists them.
    const fifty = makeArticles(50).reverse();
    const feeds = build(fifty);

    for (const xml of [feeds.rss, feeds.atom]) {
      const feed = await reader.read(xml);
      expect(feed.items).toHaveLength(50);
      expect(new Set(feed.items.map((item) => item.id)).size).toBe(50);
      expect(feed.items.map((item) => item.id)).toEqual(fifty.map((a) => a.id));
    }
    expect(new Set(JSON.parse(feeds.json).items.map((item: { id: string }) => item.id)).size).toBe(50);
  });

  it('names the content type each format is served with', () => {
    expect(FEED_CONTENT_TYPES).toEqual({
      rss: 'application/rss+xml; charset=utf-8',
      atom: 'application/atom+xml; charset=utf-8',
      json: 'application/feed+json; charset=utf-8',
    });
  });
});
