import { describe, expect, it } from 'vitest';
import { buildFeeds } from '../../../functions/core/feeds/build-feeds.js';
import { EMPTY_UPDATED, makeArticle, makeSite, publishedOnDay } from '../../support/factories.js';
import { readers, xmlTree } from '../../support/feed-readers.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function sampleArticles() {
  return [
    makeArticle({
      slug: 'with-image',
      ...publishedOnDay(5),
      tags: ['news', 'photos'],
      image: { url: 'https://cdn.example.com/photo.jpg', alt: 'A photo', type: 'image/jpeg', length: 2048 },
    }),
    makeArticle({ slug: 'plain', ...publishedOnDay(2), tags: [], image: undefined }),
  ];
}

const atomOf = (articleList = sampleArticles()) =>
  buildFeeds({ site: makeSite(), articles: articleList, emptyUpdated: EMPTY_UPDATED }).atom;

describe('the Atom feed', () => {
  it.each(readers)('reads the same in $name: titles, links, ids, dates, categories and the enclosure', async (reader) => {
    const feed = await reader.read(atomOf());

    expect(feed.title).toBe('Example News');
    expect(feed.link).toBe('https://news.example.com/');
    expect(feed.self).toBe('https://news.example.com/atom.xml');
    expect(feed.items).toEqual([
      {
        id: sampleArticles()[0]!.id,
        title: 'Title of with-image',
        link: 'https://news.example.com/articles/with-image/',
        published: '2025-04-05T10:00:00.000Z',
        categories: ['news', 'photos'],
        enclosures: [{ url: 'https://cdn.example.com/photo.jpg', type: 'image/jpeg', length: 2048 }],
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

  it('links to the home page as alternate and to itself as self, and says its language', () => {
    const feed = xmlTree(atomOf()).feed;

    expect(feed.link).toEqual([
      { '@rel': 'alternate', '@href': 'https://news.example.com/' },
      { '@rel': 'self', '@href': 'https://news.example.com/atom.xml' },
    ]);
    expect(feed['@xml:lang']).toBe('en');
  });

  it("uses the image's own type for the enclosure, not one guessed from the file extension", () => {
    const [entry] = xmlTree(atomOf()).feed.entry;

    expect(entry.link).toEqual([
      { '@href': 'https://news.example.com/articles/with-image/' },
      { '@rel': 'enclosure', '@href': 'https://cdn.example.com/photo.jpg', '@type': 'image/jpeg', '@length': '2048' },
    ]);
  });

  it('dates the feed and every entry in RFC 3339, the feed with the newest updated', () => {
    const feed = xmlTree(atomOf()).feed;

    expect(feed.updated).toBe('2025-04-05T11:00:00.000Z');
    for (const entry of feed.entry) {
      expect(entry.updated).toMatch(RFC3339);
      expect(entry.published).toMatch(RFC3339);
    }
  });

  it('names the site author on the feed and each article author on its entry', () => {
    const article = makeArticle({
      slug: 'by-two',
      authors: [{ name: 'Ada', email: 'ada@example.com', url: 'https://ada.example.com/' }, { name: 'Grace' }],
    });

    const feed = xmlTree(atomOf([article])).feed;

    expect(feed.author).toEqual([{ name: 'The Newsroom', email: 'desk@example.com', uri: 'https://news.example.com/about/' }]);
    expect(feed.entry[0].author).toEqual([{ name: 'Ada', email: 'ada@example.com', uri: 'https://ada.example.com/' }, { name: 'Grace' }]);
  });

  it('credits the site author on an entry whose article names none', () => {
    const feed = xmlTree(atomOf([makeArticle({ slug: 'anonymous', authors: [] })])).feed;

    expect(feed.entry[0].author).toEqual([{ name: 'The Newsroom', email: 'desk@example.com', uri: 'https://news.example.com/about/' }]);
  });

  it('escapes the plain-text title and summary as HTML, since `feed` declares them type="html"', () => {
    const article = makeArticle({ slug: 'markup', title: 'Why <em> & co', summary: 'Less < more' });

    const [entry] = xmlTree(atomOf([article])).feed.entry;

    expect(entry.title).toEqual({ '#text': 'Why &lt;em&gt; &amp; co', '@type': 'html' });
    expect(entry.summary['#text']).toBe('Less &lt; more');
  });
});
