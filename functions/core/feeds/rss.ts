/** RSS 2.0 through `feed`, with the gaps it leaves filled. */
import { Feed, type Item } from 'feed';
import type { FeedEntry, FeedModel } from './feed-model.js';
import { withHeadLinks } from './head-links.js';
import { guardCdata, textAsHtml, xmlAttribute } from './xml-text.js';

const RSS_TYPE = 'application/rss+xml';

export function renderRss(model: FeedModel): string {
  const feed = new Feed({
    title: model.title,
    description: model.description,
    link: model.links.home,
    language: model.language,
    copyright: model.copyright,
    // Always given: without it `feed` writes the current time and no two builds are alike.
    updated: model.updated,
    generator: 'Pressrun',
    feedLinks: { rss: model.links.rss },
  });
  for (const entry of model.entries) feed.addItem(rssItem(entry));
  return withHeadLinks(feed.rss2(), model, {
    name: 'RSS',
    self: `<atom:link href="${xmlAttribute(model.links.rss)}" rel="self" type="${RSS_TYPE}"/>`,
    element: 'atom:link',
    feedHref: (href) => ({ href: href.rss, type: RSS_TYPE }),
    indent: '        ',
    namespaceAnchor: 'xmlns:atom="http://www.w3.org/2005/Atom"',
  });
}

function rssItem(entry: FeedEntry): Item {
  // RSS <author> is an email address; a name alone goes in <dc:creator>, so each author appears once.
  const withEmail = entry.authors.filter((author) => author.email !== undefined);
  const nameOnly = entry.authors.filter((author) => author.email === undefined);
  return {
    title: guardCdata(entry.title),
    link: entry.url,
    // A guid makes `feed` write isPermaLink="false": our ids are URNs, not the page URL.
    guid: entry.id,
    date: entry.updated,
    published: entry.published,
    description: textAsHtml(entry.summary),
    content: guardCdata(entry.html),
    author: withEmail.map(({ name, email }) => ({ name, email })),
    category: entry.tags.map((tag) => ({ name: tag })),
    enclosure: entry.image && { url: entry.image.url, length: entry.image.length, type: entry.image.type },
    extensions:
      nameOnly.length === 0 ? [] : [{ name: 'dc:creator', objects: repeated(nameOnly.map((author) => ({ _text: author.name }))) }],
  };
}

/** xml-js writes an array as one element per entry; `feed` types extension objects as a record only. */
function repeated(elements: Array<{ _text: string }>): Record<string, unknown> {
  return elements as unknown as Record<string, unknown>;
}
