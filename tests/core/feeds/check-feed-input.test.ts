import { describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/core/article.js';
import { PressrunError } from '../../../functions/core/errors.js';
import { assertFeedInput } from '../../../functions/core/feeds/check-feed-input.js';
import type { FeedInput } from '../../../functions/core/feeds/feed-model.js';
import type { SiteConfig } from '../../../functions/core/site.js';
import { EMPTY_UPDATED, makeArticle, makeSite, publishedOnDay } from '../../support/factories.js';

function input({ site = {}, article = {}, tag }: { site?: Partial<SiteConfig>; article?: Partial<Article>; tag?: string } = {}): FeedInput {
  return {
    site: makeSite(site),
    articles: [makeArticle({ slug: 'story', ...publishedOnDay(1), ...article })],
    emptyUpdated: EMPTY_UPDATED,
    ...(tag === undefined ? {} : { scope: { tag } }),
  };
}

function problemFields(feedInput: FeedInput): string[] {
  try {
    assertFeedInput(feedInput);
  } catch (error) {
    expect(error).toBeInstanceOf(PressrunError);
    expect((error as PressrunError).kind).toBe('invalid');
    return (error as PressrunError).problems.map((p) => p.field);
  }
  return [];
}

describe('assertFeedInput', () => {
  it('accepts a well-formed site and article', () => {
    expect(() => assertFeedInput(input())).not.toThrow();
  });

  it.each([
    ['a base URL without a scheme', input({ site: { baseUrl: 'news.example.com/' } }), 'site.baseUrl'],
    ['a base URL without the trailing slash', input({ site: { baseUrl: 'https://example.com/blog' } }), 'site.baseUrl'],
    ['a language that is no BCP 47 tag', input({ site: { language: 'en_US"' } }), 'site.language'],
    ['a javascript: site author URL', input({ site: { author: { name: 'x', url: 'javascript:alert(1)' } } }), 'site.author.url'],
    ['a tag that climbs out of tags/', input({ tag: '../admin' }), 'scope.tag'],
    ['an empty tag', input({ tag: '' }), 'scope.tag'],
    ['an id that is no URI', input({ article: { id: 'story-1' } }), 'articles.0.id'],
    ['an id that `feed` would rewrite', input({ article: { id: 'HTTPS://Example.com/story' } }), 'articles.0.id'],
    ['a slug with a slash', input({ article: { slug: 'a/b' } }), 'articles.0.slug'],
    ['a published date that is no RFC 3339', input({ article: { published: 'April 1, 2025' } }), 'articles.0.published'],
    ['an updated date in month 13', input({ article: { updated: '2025-13-01T00:00:00.000Z' } }), 'articles.0.updated'],
    ['an ftp: author URL', input({ article: { authors: [{ name: 'x', url: 'ftp://example.com/' }] } }), 'articles.0.authors.0.url'],
    ['a relative canonical URL', input({ article: { canonicalUrl: '/elsewhere' } }), 'articles.0.canonicalUrl'],
    ['a data: image URL', input({ article: { image: { url: 'data:image/png;base64,AAAA', alt: '' } } }), 'articles.0.image.url'],
    [
      'an image type that would break out of its attribute',
      input({ article: { image: { url: 'https://cdn.example.com/p.png', alt: '', type: 'image/png" onload="x' } } }),
      'articles.0.image.type',
    ],
    [
      'a negative image length',
      input({ article: { image: { url: 'https://cdn.example.com/p.png', alt: '', length: -1 } } }),
      'articles.0.image.length',
    ],
    [
      'a fractional image length',
      input({ article: { image: { url: 'https://cdn.example.com/p.png', alt: '', length: 1.5 } } }),
      'articles.0.image.length',
    ],
    ['an empty emptyUpdated', { ...input(), emptyUpdated: '' }, 'emptyUpdated'],
  ])('rejects %s, naming the field', (_, feedInput, field) => {
    expect(problemFields(feedInput)).toEqual([field]);
  });

  it('lists every problem at once', () => {
    const feedInput = input({ site: { baseUrl: 'nope' }, article: { id: 'nope', published: 'nope' } });

    expect(problemFields(feedInput)).toEqual(['site.baseUrl', 'articles.0.id', 'articles.0.published']);
  });

  it('rejects two different articles on one slug, naming the second', () => {
    const feedInput = {
      ...input(),
      articles: [
        makeArticle({ slug: 'story' }),
        { ...makeArticle({ slug: 'story' }), id: 'urn:uuid:00000000-0000-5000-8000-000000000000' },
      ],
    };

    expect(problemFields(feedInput)).toEqual(['articles.1.slug']);
  });

  it('accepts the same article twice, which buildFeeds de-duplicates', () => {
    const feedInput = {
      ...input(),
      articles: [makeArticle({ slug: 'story' }), makeArticle({ slug: 'story' })],
    };

    expect(() => assertFeedInput(feedInput)).not.toThrow();
  });
});
