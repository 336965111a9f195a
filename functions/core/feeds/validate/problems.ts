/** What a feed check found: which rule, where in the document, and which article it concerns. */

/** Every rule the gate applies, by id; the ids appear in error messages and tests. */
export const FEED_RULES = {
  'xml-well-formed': 'the document must be well-formed XML 1.0',
  'xml-chars': 'only characters XML 1.0 allows, also as character references',
  'json-well-formed': 'the document must be valid JSON',
  schema: 'the document must follow its format (RSS 2.0, RFC 4287 Atom, JSON Feed 1.1)',
  'rfc822-date': 'RSS dates are RFC 822 with a four-digit year, the right weekday and GMT or +0000',
  'rfc3339-date': 'Atom and JSON Feed dates are RFC 3339 timestamps',
  'plausible-date': 'no date before 1995 or after the publish',
  'unique-id': 'no two items of a feed share an id',
  'stable-id': 'an id is an absolute URI, the same in every format of a feed',
  'guid-permalink': 'a guid that is not a URL carries isPermaLink="false"',
  'absolute-url': 'every link and every href, src and srcset in content is an absolute http(s) URL',
  'self-link': 'a feed names its own public URL: atom:link rel="self", Atom rel="self", JSON feed_url',
  enclosure: 'an enclosure has url, length (bytes, 0 if unknown) and type, nothing else',
  archive: 'RFC 5005: archive pages carry fh:archive, a current link and prev-archive; subscription documents none of fh:archive',
  'json-feed': 'JSON Feed 1.1: version 1.1, authors, string ids, content on every item',
} as const;

export type FeedRule = keyof typeof FEED_RULES;

export interface FeedProblem {
  rule: FeedRule;
  /** Where in the document, e.g. "channel.item.3.pubDate". */
  path: string;
  message: string;
  /** The article the offending item shows, when the item links to an article page. */
  slug?: string;
}

/** Collects problems; each check adds what it finds and goes on, so one pass reports everything. */
export class ProblemList {
  readonly items: FeedProblem[] = [];

  add(rule: FeedRule, path: string, message: string, slug?: string): void {
    this.items.push({ rule, path, message, ...(slug === undefined ? {} : { slug }) });
  }
}
