/** RSS 2.0 through `feed`, with the gaps it leaves filled. */
import { Feed, type Item } from 'feed';
import type { FeedEntry, FeedModel } from './feed-model.js';
import { FEED_HISTORY_NS, guardCdata, insertAfterOnce, textAsHtml, xmlAttribute } from './xml-text.js';

const RSS_ROOT_END = 'xmlns:atom="http://www.w3.org/2005/Atom"';
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
  return withHeadLinks(feed.rss2(), model);
}

/** WebSub and RFC 5005 links as atom:link elements (RFC 5005, appendix B), after the self link. */
function withHeadLinks(xml: string, model: FeedModel): string {
  if (model.headLinks.length === 0 && !model.isArchive) return xml;
  const self = `<atom:link href="${xmlAttribute(model.links.rss)}" rel="self" type="${RSS_TYPE}"/>`;
  const links = model.headLinks.map(({ rel, href }) =>
    typeof href === 'string'
      ? `<atom:link rel="${rel}" href="${xmlAttribute(href)}"/>`
      : `<atom:link rel="${rel}" href="${xmlAttribute(href.rss)}" type="${RSS_TYPE}"/>`,
  );
  if (model.isArchive) links.push('<fh:archive/>');
  const withLinks = insertAfterOnce(xml, self, links.map((link) => `\n        ${link}`).join(''), 'RSS');
  return model.isArchive ? insertAfterOnce(withLinks, RSS_ROOT_END, ` xmlns:fh="${FEED_HISTORY_NS}"`, 'RSS') : withLinks;
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
