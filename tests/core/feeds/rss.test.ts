import { describe, expect, it } from 'vitest';
import { buildFeeds } from '../../../functions/core/feeds/build-feeds.js';
import { EMPTY_UPDATED, makeArticle, makeArticles, makeSite, publishedOnDay } from '../../support/factories.js';
import { readers, xmlTree } from '../../support/feed-readers.js';

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function sampleArticles() {
  return [
    makeArticle({
      slug: 'with-image',
      ...publishedOnDay(5),
      tags: ['news', 'photos'],
      image: { url: 'https://cdn.example.com/p.jpg', alt: 'A photo', type: 'image/jpeg', length: 2048 },
    }),
    makeArticle({ slug: 'plain', ...publishedOnDay(2), tags: [], image: undefined }),
  ];
}

const rssOf = (articleList = sampleArticles()) => buildFeeds({ site: makeSite(), articles: articleList, emptyUpdated: EMPTY_UPDATED }).rss;

describe('the RSS feed', () => {
  it.each(readers)('reads the same in $name: titles, links, guids, dates, categories and the enclosure', async (reader) => {
    const feed = await reader.read(rssOf());

    expect(feed.title).toBe('Example News');
    expect(feed.link).toBe('https://news.example.com/');
    expect(feed.self).toBe('https://news.example.com/feed.xml');
    expect(feed.items).toEqual([
      {
        id: sampleArticles()[0]!.id,
        title: 'Title of with-image',
        link: 'https://news.example.com/articles/with-image/',
        published: '2025-04-05T10:00:00.000Z',
        categories: ['news', 'photos'],
        enclosures: [{ url: 'https://cdn.example.com/p.jpg', type: 'image/jpeg', length: 2048 }],
      },
      {
        id: sampleArticles()[1]!.id,
        title: 'Title of plain',
        link: 'https://news.example.com/articles/plain/',
        published: '2025-04-02T10:00:00.000Z',
        categories: [],
        enclosures: [],
      },
    ]);
  });

  it('marks guids as not permalinks, since an article id is a URN and not the page URL', () => {
    const items = xmlTree(rssOf()).rss.channel.item;

    for (const item of items) {
      expect(item.guid['@isPermaLink']).toBe('false');
      expect(item.guid['#text']).toMatch(/^urn:uuid:/);
    }
  });

  it('names its own public URL in an atom:link rel="self" of type application/rss+xml', () => {
    const tree = xmlTree(rssOf());

    expect(tree.rss['@xmlns:atom']).toBe('http://www.w3.org/2005/Atom');
    expect(tree.rss.channel['atom:link']).toEqual([
      { '@href': 'https://news.example.com/feed.xml', '@rel': 'self', '@type': 'application/rss+xml' },
    ]);
  });

  it('gives an image exactly one enclosure with url, length and type and nothing else', () => {
    const [withImage, plain] = xmlTree(rssOf()).rss.channel.item;

    expect(withImage.enclosure).toEqual([{ '@url': 'https://cdn.example.com/p.jpg', '@length': '2048', '@type': 'image/jpeg' }]);
    expect(plain.enclosure).toBeUndefined();
  });

  it('writes length 0 and a generic type when the image says neither', () => {
    const article = makeArticle({ slug: 'no-size', image: { url: 'https://cdn.example.com/p', alt: '' } });

    const [item] = xmlTree(rssOf([article])).rss.channel.item;

    expect(item.enclosure).toEqual([{ '@url': 'https://cdn.example.com/p', '@length': '0', '@type': 'application/octet-stream' }]);
  });

  it.each([
    ['a Sunday in 1999', '1999-12-26T23:59:59.000Z'],
    ['a leap day', '2024-02-29T00:00:00.000Z'],
    ['a Wednesday in 2025', '2025-04-23T08:05:09.000Z'],
  ])('dates pubDate and lastBuildDate in RFC 822 with a four-digit year and the right weekday, on %s', (_, when) => {
    const article = makeArticle({ slug: 'dated', published: when, updated: when });

    const channel = xmlTree(rssOf([article])).rss.channel;

    expect(channel.item[0].pubDate).toMatch(RFC822);
    expect(channel.item[0].pubDate).toBe(new Date(when).toUTCString());
    expect(channel.lastBuildDate).toBe(new Date(when).toUTCString());
  });

  it('gives lastBuildDate the newest updated among the articles, not the newest published', () => {
    const older = makeArticle({ slug: 'older-but-edited', published: '2025-04-01T10:00:00.000Z', updated: '2025-04-20T10:00:00.000Z' });
    const newer = makeArticle({ slug: 'newer', published: '2025-04-10T10:00:00.000Z', updated: '2025-04-10T10:00:00.000Z' });

    expect(xmlTree(rssOf([newer, older])).rss.channel.lastBuildDate).toBe('Sun, 20 Apr 2025 10:00:00 GMT');
  });

  it('puts an author with an email in <author> and one without in <dc:creator>, each once', () => {
    const article = makeArticle({
      slug: 'two-authors',
      authors: [{ name: 'Ada', email: 'ada@example.com' }, { name: 'Grace' }],
    });

    const tree = xmlTree(rssOf([article]));
    const [item] = tree.rss.channel.item;

    expect(item.author).toEqual(['ada@example.com (Ada)']);
    expect(item['dc:creator']).toEqual(['Grace']);
    expect(tree.rss['@xmlns:dc']).toBe('http://purl.org/dc/elements/1.1/');
  });

  it('carries the summary as HTML-escaped description and the article HTML as content:encoded', () => {
    const article = makeArticle({ slug: 'bodies', summary: 'Fish & <chips>', html: '<p>Fish &amp; chips</p>' });

    const [item] = xmlTree(rssOf([article])).rss.channel.item;

    expect(item.description).toBe('Fish &amp; &lt;chips&gt;');
    expect(item['content:encoded']).toBe('<p>Fish &amp; chips</p>');
  });

  it('has no two items with the same guid, even when the input repeats an article', () => {
    const list = makeArticles(5);

    const items = xmlTree(rssOf([...list, ...list.map((a) => ({ ...a }))])).rss.channel.item;

    const guids = items.map((item: { guid: { '#text': string } }) => item.guid['#text']);
    expect(guids).toHaveLength(5);
    expect(new Set(guids).size).toBe(5);
  });
});
