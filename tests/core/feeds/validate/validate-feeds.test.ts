import { describe, expect, it } from 'vitest';
import { buildFeeds } from '../../../../functions/core/feeds/build-feeds.js';
import { assertValidFeeds, checkFeed, feedFormatOf, type FeedFormat } from '../../../../functions/core/feeds/validate/validate-feeds.js';
import { PressrunError } from '../../../../functions/core/errors.js';
import { output } from '../../../../functions/core/publish/outputs.js';
import { EMPTY_UPDATED, makeArticle, makeSite, publishedOnDay } from '../../../support/factories.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const site = () => makeSite({ websubHub: 'https://hub.example.com/' });

function validFeeds(archive?: { page?: number; prev?: number; next?: number }) {
  const articles = [
    makeArticle({
      slug: 'first',
      ...publishedOnDay(1),
      html: '<p>Body of first</p>',
      image: { url: 'https://cdn.example.com/a.jpg', alt: 'A', type: 'image/jpeg', length: 10 },
    }),
    makeArticle({
      slug: 'second',
      ...publishedOnDay(2),
      html: '<p>See <a href="https://example.org/x?a=1&amp;b=2">this</a> <img src="https://cdn.example.com/b.png" srcset="https://cdn.example.com/b2.png 2x" alt=""></p>',
    }),
  ];
  return buildFeeds({ site: site(), articles, emptyUpdated: EMPTY_UPDATED, ...(archive ? { archive } : {}) });
}

const check = (key: string, body: string, format: FeedFormat) => checkFeed({ key, body, format }, { site: site(), now: NOW });
const rules = (key: string, body: string, format: FeedFormat) => [...new Set(check(key, body, format).map((p) => p.rule))];

describe('checkFeed on what buildFeeds writes', () => {
  it.each([
    ['feed.xml', 'rss', undefined],
    ['atom.xml', 'atom', undefined],
    ['feed.json', 'json', undefined],
    ['archive/feed-2.xml', 'rss', { page: 2, prev: 1, next: 3 }],
    ['archive/atom-1.xml', 'atom', { page: 1 }],
    ['archive/feed-2.json', 'json', { page: 2, prev: 1 }],
  ] as const)('finds nothing wrong with %s', (key, format, archive) => {
    expect(check(key, validFeeds(archive)[format], format)).toEqual([]);
  });
});

describe('checkFeed on broken RSS', () => {
  const rss = () => validFeeds().rss;
  it.each([
    ['a control character', (x: string) => x.replace('Title of first', 'Title\u0001 of first'), 'xml-chars'],
    ['a character reference XML forbids', (x: string) => x.replace('<description>Notes', '<description>&#xB;Notes'), 'xml-chars'],
    ['an entity XML does not define', (x: string) => x.replace('<description>Notes', '<description>&nbsp;Notes'), 'xml-well-formed'],
    ['a bare ampersand', (x: string) => x.replace('<description>Notes', '<description>R&D Notes'), 'xml-well-formed'],
    ['a CDATA section ended early', (x: string) => x.replace('<p>Body of first</p>', '<p>a ]]> b</p>'), 'xml-well-formed'],
    ['a two-digit year', (x: string) => x.replace(/<pubDate>(\w{3}, \d{2} \w{3}) 2025/, '<pubDate>$1 25'), 'rfc822-date'],
    ['the wrong weekday', (x: string) => x.replace(/<pubDate>\w{3},/, '<pubDate>Sun,'), 'rfc822-date'],
    ['a date in UTC rather than GMT', (x: string) => x.replace(/GMT<\/pubDate>/, 'UTC</pubDate>'), 'rfc822-date'],
    ['a date before 1995', (x: string) => x.replace(/<pubDate>[^<]+</, '<pubDate>Fri, 01 Jan 1993 00:00:00 GMT<'), 'plausible-date'],
    ['a date after the publish', (x: string) => x.replace(/<pubDate>[^<]+</, '<pubDate>Tue, 01 Jan 2030 00:00:00 GMT<'), 'plausible-date'],
    [
      'two items with one guid',
      (x: string) => x.replace(/<guid isPermaLink="false">[^<]+<\/guid>/g, '<guid isPermaLink="false">urn:uuid:same</guid>'),
      'unique-id',
    ],
    [
      'a guid that is not a URL without isPermaLink="false"',
      (x: string) => x.replace('<guid isPermaLink="false">', '<guid>'),
      'guid-permalink',
    ],
    ['an item without a guid', (x: string) => x.replace(/<guid[^>]*>[^<]+<\/guid>/, ''), 'stable-id'],
    [
      'a relative item link',
      (x: string) => x.replace('<link>https://news.example.com/articles/first/</link>', '<link>/articles/first/</link>'),
      'absolute-url',
    ],
    ['a relative link in the content', (x: string) => x.replace('href="https://example.org/x?a=1&amp;b=2"', 'href="/x"'), 'absolute-url'],
    [
      'a relative srcset in the content',
      (x: string) => x.replace('srcset="https://cdn.example.com/b2.png 2x"', 'srcset="b2.png 2x"'),
      'absolute-url',
    ],
    [
      'a javascript: link in the content',
      (x: string) => x.replace('href="https://example.org/x?a=1&amp;b=2"', 'href="javascript:alert(1)"'),
      'absolute-url',
    ],
    [
      'a self link to another URL',
      (x: string) => x.replace('href="https://news.example.com/feed.xml" rel="self"', 'href="https://news.example.com/rss" rel="self"'),
      'self-link',
    ],
    ['no self link', (x: string) => x.replace(/<atom:link href="[^"]+" rel="self"[^>]*\/>/, ''), 'self-link'],
    ['an enclosure without a length', (x: string) => x.replace(/<enclosure length="\d+"/, '<enclosure'), 'enclosure'],
    ['an enclosure with extra attributes', (x: string) => x.replace('<enclosure ', '<enclosure title="x" '), 'enclosure'],
    [
      'an archive marker on the subscription feed',
      (x: string) => x.replace('<item>', '<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/><item>'),
      'archive',
    ],
    ['an element RSS does not define', (x: string) => x.replace('<docs>', '<mood>happy</mood><docs>'), 'schema'],
    ['a channel without a description', (x: string) => x.replace(/<description>Notes[^<]*<\/description>/, ''), 'schema'],
  ])('names the rule %s breaks', (_, breakIt, rule) => {
    expect(rules('feed.xml', breakIt(rss()), 'rss')).toContain(rule);
  });

  it('names the article an item shows', () => {
    const broken = rss().replace(/<pubDate>(\w{3}, \d{2} \w{3}) 2025 10/, '<pubDate>$1 25 10');

    expect(check('feed.xml', broken, 'rss')).toContainEqual(expect.objectContaining({ rule: 'rfc822-date', slug: 'second' }));
  });

  it('expects an archive page to carry fh:archive, a current link and prev-archive', () => {
    const page = validFeeds({ page: 2, prev: 1 })
      .rss.replace('<fh:archive/>', '')
      .replace(/<atom:link rel="prev-archive"[^>]+\/>/, '');

    expect(
      check('archive/feed-2.xml', page, 'rss')
        .filter((p) => p.rule === 'archive')
        .map((p) => p.message),
    ).toEqual([expect.stringContaining('fh:archive'), expect.stringContaining('prev-archive')]);
  });
});

describe('checkFeed on broken Atom', () => {
  const atom = () => validFeeds().atom;
  it.each([
    [
      'an RFC 822 date',
      (x: string) => x.replace(/<updated>[^<]+<\/updated>/, '<updated>Tue, 01 Apr 2025 10:00:00 GMT</updated>'),
      'rfc3339-date',
    ],
    ['a day that does not exist', (x: string) => x.replace(/<published>2025-04-0\d/, '<published>2025-02-30'), 'rfc3339-date'],
    ['an entry id that is not a URI', (x: string) => x.replace(/<id>urn:uuid:[^<]+<\/id>/, '<id>first</id>'), 'stable-id'],
    ['two entries with one id', (x: string) => x.replace(/<id>urn:uuid:[^<]+<\/id>/g, '<id>urn:uuid:same</id>'), 'unique-id'],
    ['an entry without a title', (x: string) => x.replace(/<title type="html"><!\[CDATA\[Title of first\]\]><\/title>/, ''), 'schema'],
    [
      'a second alternate link of one type',
      (x: string) =>
        x.replace(
          '<link rel="alternate" href="https://news.example.com/"/>',
          '<link rel="alternate" href="https://news.example.com/"/><link href="https://news.example.com/b"/>',
        ),
      'schema',
    ],
    [
      'a self link to another URL',
      (x: string) =>
        x.replace(
          '<link rel="self" href="https://news.example.com/atom.xml"/>',
          '<link rel="self" href="https://news.example.com/feed.atom"/>',
        ),
      'self-link',
    ],
    ['a relative image in the content', (x: string) => x.replace('src="https://cdn.example.com/b.png"', 'src="b.png"'), 'absolute-url'],
    [
      'another root element',
      (x: string) =>
        x.replace('<feed xmlns="http://www.w3.org/2005/Atom"', '<fead xmlns="http://www.w3.org/2005/Atom"').replace('</feed>', '</fead>'),
      'schema',
    ],
  ])('names the rule %s breaks', (_, breakIt, rule) => {
    expect(rules('atom.xml', breakIt(atom()), 'atom')).toContain(rule);
  });
});

describe('checkFeed on broken JSON Feed', () => {
  const json = () => JSON.parse(validFeeds().json);
  it.each([
    ['version 1', (f: Record<string, unknown>) => ({ ...f, version: 'https://jsonfeed.org/version/1' }), 'schema'],
    [
      'an item without content',
      (f: { items: Array<Record<string, unknown>> }) => ({ ...f, items: [{ ...f.items[0], content_html: undefined }] }),
      'schema',
    ],
    ['a number as id', (f: { items: Array<Record<string, unknown>> }) => ({ ...f, items: [{ ...f.items[0], id: 1 }] }), 'schema'],
    [
      'author instead of authors',
      (f: { items: Array<Record<string, unknown>> }) => ({ ...f, items: [{ ...f.items[0], author: { name: 'x' } }] }),
      'schema',
    ],
    [
      'a relative item url',
      (f: { items: Array<Record<string, unknown>> }) => ({ ...f, items: [{ ...f.items[0], url: '/articles/x/' }] }),
      'schema',
    ],
    [
      'a date without a zone',
      (f: { items: Array<Record<string, unknown>> }) => ({ ...f, items: [{ ...f.items[0], date_published: '2025-04-01T10:00:00' }] }),
      'rfc3339-date',
    ],
    [
      'two items with one id',
      (f: { items: Array<Record<string, unknown>> }) => ({ ...f, items: [f.items[0], { ...f.items[1], id: f.items[0]!.id }] }),
      'unique-id',
    ],
    ['a feed_url elsewhere', (f: Record<string, unknown>) => ({ ...f, feed_url: 'https://news.example.com/other.json' }), 'self-link'],
    [
      'a javascript: link in content_html',
      (f: { items: Array<Record<string, unknown>> }) => ({
        ...f,
        items: [{ ...f.items[0], content_html: '<a href="javascript:x()">x</a>' }],
      }),
      'absolute-url',
    ],
  ])('names the rule %s breaks', (_, breakIt, rule) => {
    expect(rules('feed.json', JSON.stringify(breakIt(json())), 'json')).toContain(rule);
  });

  it('names invalid JSON as such', () => {
    expect(rules('feed.json', '{"version":', 'json')).toEqual(['json-well-formed']);
  });
});

describe('assertValidFeeds', () => {
  const outputs = (rss: string) => {
    const feeds = validFeeds();
    return [
      output('feed.xml', rss, 'rss', 'listing'),
      output('atom.xml', feeds.atom, 'atom', 'listing'),
      output('feed.json', feeds.json, 'json', 'listing'),
      output('index.html', '<p>not a feed', 'html', 'listing'),
    ];
  };

  it('passes valid feeds and skips objects that are not feeds', () => {
    expect(() => assertValidFeeds(outputs(validFeeds().rss), { site: site(), now: NOW })).not.toThrow();
  });

  it('throws one invalid PressrunError naming the feed, the article and the rule', () => {
    const broken = validFeeds().rss.replace(/<pubDate>(\w{3}, \d{2} \w{3}) 2025 10/, '<pubDate>$1 25 10');

    const error = (() => {
      try {
        assertValidFeeds(outputs(broken), { site: site(), now: NOW });
      } catch (e) {
        return e;
      }
    })() as PressrunError;

    expect(error).toBeInstanceOf(PressrunError);
    expect(error.kind).toBe('invalid');
    expect(error.message).toMatch(/feed\.xml would break rfc822-date in article "second"/);
    expect(error.problems[0]).toEqual({
      field: expect.stringMatching(/^feeds\.feed\.xml\.channel\.item\.\d\.pubDate$/),
      message: expect.stringContaining('article "second": breaks rfc822-date'),
    });
  });

  it('refuses formats of one feed that give an article different ids', () => {
    const feeds = validFeeds();
    const json = feeds.json.replace(/urn:uuid:[0-9a-f-]+/, 'urn:uuid:00000000-0000-4000-8000-000000000000');

    expect(() =>
      assertValidFeeds([output('feed.xml', feeds.rss, 'rss', 'listing'), output('feed.json', json, 'json', 'listing')], {
        site: site(),
        now: NOW,
      }),
    ).toThrow(/stable-id/);
  });

  it.each([
    ['application/rss+xml; charset=utf-8', 'rss'],
    ['application/atom+xml; charset=utf-8', 'atom'],
    ['application/feed+json; charset=utf-8', 'json'],
    ['text/html; charset=utf-8', undefined],
  ])('reads the format of %s as %s', (contentType, format) => {
    expect(feedFormatOf(contentType)).toBe(format);
  });
});
