import { describe, expect, it } from 'vitest';
import { buildFeeds } from '../../../functions/core/feeds/build-feeds.js';
import { EMPTY_UPDATED, makeArticle, makeSite } from '../../support/factories.js';
import { readers, XML_FORBIDDEN, xmlTree } from '../../support/feed-readers.js';

const CONTROL = '\u0000\u0001\u0008\u000B\u000C\u001F\uFFFE\uFFFF';
const LONE_HIGH = '\uD800';
const LONE_LOW = '\uDFFF';

function hostileFeeds() {
  const article = makeArticle({
    slug: 'hostile',
    title: `Tom & Jerry <script>alert(1)</script> ]]> twice ]]>${CONTROL}${LONE_HIGH} 🎉`,
    summary: `Less < more & ]]>${CONTROL}`,
    html: `<p>a ]]> b ]]> c${CONTROL}${LONE_LOW}</p>`,
    authors: [{ name: `Ada\u0007 & Co` }],
    tags: ['news'],
    image: { url: 'https://cdn.example.com/p.jpg?w=1&h=2', alt: '', type: 'image/jpeg' },
    canonicalUrl: 'https://elsewhere.example.org/a?x=1&y=2',
  });
  return buildFeeds({ site: makeSite({ title: `News & <Views>${CONTROL}` }), articles: [article], emptyUpdated: EMPTY_UPDATED });
}

/** The title as it should reach a reader: the forbidden characters gone, everything else kept, emoji included. */
const CLEAN_TITLE = 'Tom & Jerry <script>alert(1)</script> ]]> twice ]]> 🎉';

function jsonStrings(json: string): string[] {
  const strings: string[] = [];
  JSON.parse(json, (_key, value: unknown) => {
    if (typeof value === 'string') strings.push(value);
    return value;
  });
  return strings;
}

describe('buildFeeds with hostile content', () => {
  it.each(['rss', 'atom'] as const)('writes a well-formed %s document without a character XML forbids', (format) => {
    const xml = hostileFeeds()[format];

    expect(() => xmlTree(xml)).not.toThrow();
    expect(xml).not.toMatch(XML_FORBIDDEN);
  });

  it('keeps the forbidden characters out of the JSON Feed too', () => {
    const strings = jsonStrings(hostileFeeds().json);

    expect(strings).toContain(CLEAN_TITLE);
    for (const s of strings) expect(s).not.toMatch(XML_FORBIDDEN);
  });

  describe.each(readers)('read with $name', (reader) => {
    it.each(['rss', 'atom'] as const)('still reads the %s feed: its title, the item, and URLs with "&"', async (format) => {
      const feed = await reader.read(hostileFeeds()[format]);

      expect(feed.title).toBe('News & <Views>');
      expect(feed.items).toHaveLength(1);
      expect(feed.items[0]!.link).toBe('https://news.example.com/articles/hostile/');
      expect(feed.items[0]!.enclosures).toEqual([{ url: 'https://cdn.example.com/p.jpg?w=1&h=2', type: 'image/jpeg', length: 0 }]);
    });
  });

  it.each(['rss', 'atom'] as const)('gives a reader that decodes entities the exact title from the %s feed', async (format) => {
    const [viaRssParser, viaFeedParser] = readers;

    const decoded = await viaFeedParser!.read(hostileFeeds()[format]);
    const raw = await viaRssParser!.read(hostileFeeds()[format]);

    expect(decoded.items[0]!.title).toBe(CLEAN_TITLE);
    // rss-parser hands over the text undecoded: "]]>" shows as "]]&gt;" there (and all of it escaped in Atom's type="html").
    expect(raw.items[0]!.title.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&')).toBe(CLEAN_TITLE);
  });

  it('keeps two "]]>" in the HTML from ending its CDATA section early, writing them as "]]&gt;"', () => {
    const { rss, atom } = hostileFeeds();

    expect(xmlTree(rss).rss.channel.item[0]['content:encoded']).toBe('<p>a ]]&gt; b ]]&gt; c</p>');
    expect(xmlTree(atom).feed.entry[0].content['#text']).toBe('<p>a ]]&gt; b ]]&gt; c</p>');
  });

  it('writes "&" in URLs as &amp; in the XML, and as "&" in JSON', () => {
    const { rss, json } = hostileFeeds();

    expect(rss).toContain('url="https://cdn.example.com/p.jpg?w=1&amp;h=2"');
    expect(JSON.parse(json).items[0]).toMatchObject({
      image: 'https://cdn.example.com/p.jpg?w=1&h=2',
      external_url: 'https://elsewhere.example.org/a?x=1&y=2',
    });
  });

  it('keeps a <script> in the title from becoming markup in the Atom feed', () => {
    const entry = xmlTree(hostileFeeds().atom).feed.entry[0];

    expect(entry.title['#text']).not.toContain('<script>');
    expect(entry.title['#text']).toContain('&lt;script&gt;');
  });
});
