import { describe, expect, it } from 'vitest';
import { buildFeeds } from '../../../functions/core/feeds/build-feeds.js';
import { EMPTY_UPDATED, makeArticle, makeSite, publishedOnDay } from '../../support/factories.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

interface JsonFeedItem {
  id: unknown;
  url: string;
  external_url?: string;
  title: string;
  content_html?: string;
  content_text?: string;
  summary: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors: Array<Record<string, string>>;
  tags: string[];
  attachments?: Array<Record<string, unknown>>;
}

function jsonFeedOf(articleList = [makeArticle({ slug: 'first', image: undefined })]) {
  return JSON.parse(buildFeeds({ site: makeSite(), articles: articleList, emptyUpdated: EMPTY_UPDATED }).json) as Record<
    string,
    unknown
  > & {
    items: JsonFeedItem[];
  };
}

describe('the JSON Feed', () => {
  it('follows JSON Feed 1.1 at the top level: version, title, home page, feed_url, language, authors', () => {
    const feed = jsonFeedOf();

    expect(feed).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Example News',
      home_page_url: 'https://news.example.com/',
      feed_url: 'https://news.example.com/feed.json',
      description: 'Notes from the example newsroom',
      language: 'en',
      authors: [{ name: 'The Newsroom', url: 'https://news.example.com/about/' }],
    });
    expect(feed).not.toHaveProperty('author');
  });

  it('gives every item a string id, content_html, RFC 3339 dates, authors and tags', () => {
    const feed = jsonFeedOf([
      makeArticle({ slug: 'one', ...publishedOnDay(3), tags: ['news', 'tech'], authors: [{ name: 'Ada Writer' }] }),
      makeArticle({ slug: 'two', ...publishedOnDay(2), tags: [], html: '', authors: [{ name: 'Ada Writer' }] }),
    ]);

    for (const item of feed.items) {
      expect(typeof item.id).toBe('string');
      expect(item.content_html).toEqual(expect.any(String));
      expect(item.content_html).not.toBe('');
      expect(item.date_published).toMatch(RFC3339);
      expect(item.date_modified).toMatch(RFC3339);
      expect(item.authors).toEqual([{ name: 'Ada Writer' }]);
      expect(item).not.toHaveProperty('author');
      expect(Array.isArray(item.tags)).toBe(true);
    }
    expect(feed.items.map((item) => item.tags)).toEqual([['news', 'tech'], []]);
  });

  it('maps an article to an item: id, page url, title, summary, html and dates', () => {
    const article = makeArticle({ slug: 'mapped', summary: 'Short & plain', html: '<p>Long</p>' });

    const [item] = jsonFeedOf([article]).items;

    expect(item).toMatchObject({
      id: article.id,
      url: 'https://news.example.com/articles/mapped/',
      title: 'Title of mapped',
      summary: 'Short & plain',
      content_html: '<p>Long</p>',
      date_published: article.published,
      date_modified: article.updated,
    });
  });

  it('gives the summary as content_html when the article has no body, so no item is without content', () => {
    const [item] = jsonFeedOf([makeArticle({ slug: 'empty', html: '  ', summary: 'Only <this>' })]).items;

    expect(item!.content_html).toBe('<p>Only &lt;this&gt;</p>');
  });

  it.each([
    ['a known size', 2048, { url: 'https://cdn.example.com/p.png', mime_type: 'image/png', size_in_bytes: 2048 }],
    ['no known size', undefined, { url: 'https://cdn.example.com/p.png', mime_type: 'image/png' }],
  ])('carries an image as `image` and as an attachment, with %s', (_, length, attachment) => {
    const article = makeArticle({
      slug: 'pictured',
      image: { url: 'https://cdn.example.com/p.png', alt: 'x', type: 'image/png', length },
    });

    const [item] = jsonFeedOf([article]).items;

    expect(item!.image).toBe('https://cdn.example.com/p.png');
    expect(item!.attachments).toEqual([attachment]);
  });

  it('leaves image and attachments out for an article without an image', () => {
    const [item] = jsonFeedOf().items;

    expect(item).not.toHaveProperty('image');
    expect(item).not.toHaveProperty('attachments');
  });

  it('links to our page as url and to the canonical original as external_url', () => {
    const article = makeArticle({
      slug: 'syndicated',
      canonicalUrl: 'https://elsewhere.example.org/original?a=1&b=2',
    });

    const [item] = jsonFeedOf([article]).items;

    expect(item!.url).toBe('https://news.example.com/articles/syndicated/');
    expect(item!.external_url).toBe('https://elsewhere.example.org/original?a=1&b=2');
  });

  it('gives JSON Feed authors a name and url but never an email, which the format has no place for', () => {
    const article = makeArticle({
      slug: 'emailed',
      authors: [{ name: 'Ada', email: 'ada@example.com', url: 'https://ada.example.com/' }],
    });

    const [item] = jsonFeedOf([article]).items;

    expect(item!.authors).toEqual([{ name: 'Ada', url: 'https://ada.example.com/' }]);
  });
});
