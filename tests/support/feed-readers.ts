/**
 * The two feed readers the tests read our feeds with, each brought to one shape, plus a plain
 * XML tree for structural checks. A feed is right when both readers see the same thing in it.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';

export interface ReadEnclosure {
  url: string;
  type: string;
  length: number;
}

export interface ReadItem {
  id: string;
  /** As the reader hands it over; rss-parser leaves an Atom type="html" title HTML-escaped. */
  title: string;
  link: string;
  /** ISO string. */
  published: string;
  categories: string[];
  enclosures: ReadEnclosure[];
}

export interface ReadFeed {
  title: string;
  link: string;
  self: string;
  items: ReadItem[];
}

export interface FeedReader {
  name: string;
  read(xml: string): Promise<ReadFeed>;
}

type RssParserItem = {
  guid?: string;
  id?: string;
  published?: string;
  atomCategories?: Array<string | { $: { term: string } }>;
  atomLinks?: Array<{ $: { rel?: string; href: string; type: string; length: string } }>;
};

const rssParser = new Parser<Record<string, never>, RssParserItem>({
  customFields: { item: [['category', 'atomCategories', { keepArray: true }], 'published', ['link', 'atomLinks', { keepArray: true }]] },
});

const viaRssParser: FeedReader = {
  name: 'rss-parser',
  async read(xml) {
    const feed = await rssParser.parseString(xml);
    const isAtom = feed.items.some((item) => item.id !== undefined);
    return {
      title: feed.title ?? '',
      link: feed.link ?? '',
      self: feed.feedUrl ?? '',
      items: feed.items.map((item) => ({
        id: (isAtom ? item.id : item.guid) ?? '',
        title: item.title ?? '',
        link: item.link ?? '',
        published: new Date((isAtom ? item.published : item.isoDate) ?? NaN).toISOString(),
        categories: isAtom ? (item.atomCategories ?? []).map((c) => (typeof c === 'string' ? c : c.$.term)) : (item.categories ?? []),
        enclosures: isAtom
          ? (item.atomLinks ?? [])
              .filter((l) => typeof l === 'object' && l.$.rel === 'enclosure')
              .map((l) => ({ url: l.$.href, type: l.$.type, length: Number(l.$.length) }))
          : item.enclosure
            ? [{ url: item.enclosure.url, type: item.enclosure.type ?? '', length: Number(item.enclosure.length) }]
            : [],
      })),
    };
  },
};

const viaFeedParser: FeedReader = {
  name: '@rowanmanning/feed-parser',
  async read(xml) {
    const feed = parseFeed(xml);
    return {
      title: feed.title ?? '',
      link: feed.url ?? '',
      self: feed.self ?? '',
      items: feed.items.map((item) => ({
        id: item.id ?? '',
        title: item.title ?? '',
        link: item.url ?? '',
        published: item.published?.toISOString() ?? '',
        categories: item.categories.map((c) => c.term),
        enclosures: item.media.map((m) => ({ url: m.url, type: m.mimeType ?? '', length: m.length ?? NaN })),
      })),
    };
  },
};

export const readers: FeedReader[] = [viaRssParser, viaFeedParser];

/** Elements that may repeat, always read as arrays so tests can count them; RSS has one <link> where Atom has several. */
const REPEATED = new Set(['item', 'entry', 'atom:link', 'category', 'enclosure', 'author', 'dc:creator']);
const isRepeated = (name: string, path: unknown) => REPEATED.has(name) || (name === 'link' && String(path).startsWith('feed.'));

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  jPath: true,
  isArray: isRepeated,
});

/** The document as a plain tree (attributes prefixed with "@"), after checking it is well-formed XML. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed document has no static shape
export function xmlTree(xml: string): any {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} at line ${valid.err.line}`);
  return xmlParser.parse(xml);
}

/** What XML 1.0 forbids, written out independently of the code under test. */
export const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
