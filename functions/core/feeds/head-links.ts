/**
 * WebSub and RFC 5005 links in a feed's head, after its self link, and <fh:archive/> on an
 * archive document, for the XML formats `feed` writes without them. RSS carries them as
 * atom:link elements (RFC 5005, appendix B), Atom as its own link elements.
 */
import type { FeedHeadLink, FeedModel } from './feed-model.js';
import { FEED_HISTORY_NS, insertAfterOnce, xmlAttribute } from './xml-text.js';

export interface HeadLinkFormat {
  /** For the message when `feed` changed how it writes the anchors. */
  name: 'RSS' | 'Atom';
  /** The self link `feed` writes, after which the others go. */
  self: string;
  /** The element a link is written as. */
  element: string;
  /** Which of a feed's URLs (and its media type) a link to another feed document names. */
  feedHref(href: Exclude<FeedHeadLink['href'], string>): { href: string; type: string };
  indent: string;
  /** Where the RFC 5005 namespace declaration goes: right after this text of the root element. */
  namespaceAnchor: string;
}

export function withHeadLinks(xml: string, model: FeedModel, format: HeadLinkFormat): string {
  if (model.headLinks.length === 0 && !model.isArchive) return xml;
  const links = model.headLinks.map(({ rel, href }) => {
    if (typeof href === 'string') return `<${format.element} rel="${rel}" href="${xmlAttribute(href)}"/>`;
    const feed = format.feedHref(href);
    return `<${format.element} rel="${rel}" href="${xmlAttribute(feed.href)}" type="${feed.type}"/>`;
  });
  if (model.isArchive) links.push('<fh:archive/>');
  const withLinks = insertAfterOnce(xml, format.self, links.map((link) => `\n${format.indent}${link}`).join(''), format.name);
  return model.isArchive ? insertAfterOnce(withLinks, format.namespaceAnchor, ` xmlns:fh="${FEED_HISTORY_NS}"`, format.name) : withLinks;
}
