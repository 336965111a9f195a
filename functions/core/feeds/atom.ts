/** Atom 1.0 through `feed`, with the gaps it leaves filled. */
import { Feed, type Author, type Item } from 'feed';
import type { FeedEntry, FeedModel, FeedPerson } from './feed-model.js';
import { FEED_HISTORY_NS, guardCdata, insertAfterOnce, textAsHtml, xmlAttribute } from './xml-text.js';

const ATOM_ROOT = '<feed xmlns="http://www.w3.org/2005/Atom">';

export function renderAtom(model: FeedModel): string {
  const feed = new Feed({
    id: model.links.home,
    title: model.title,
    description: model.description,
    link: model.links.home,
    copyright: model.copyright,
    // Always given: without it `feed` writes the current time and no two builds are alike.
    updated: model.updated,
    generator: 'Pressrun',
    feedLinks: { atom: model.links.atom },
    author: atomPerson(model.author),
  });
  for (const entry of model.entries) feed.addItem(atomEntry(entry));
  return withHeadLinks(withEnclosures(withLanguage(feed.atom1(), model.language), model.entries), model);
}

/** WebSub and RFC 5005 links after the self link; an archive document says so with <fh:archive/>. */
function withHeadLinks(xml: string, model: FeedModel): string {
  if (model.headLinks.length === 0 && !model.isArchive) return xml;
  const self = `<link rel="self" href="${xmlAttribute(model.links.atom)}"/>`;
  const links = model.headLinks.map(({ rel, href }) =>
    typeof href === 'string'
      ? `<link rel="${rel}" href="${xmlAttribute(href)}"/>`
      : `<link rel="${rel}" href="${xmlAttribute(href.atom)}" type="application/atom+xml"/>`,
  );
  if (model.isArchive) links.push('<fh:archive/>');
  const withLinks = insertAfterOnce(xml, self, links.map((link) => `\n    ${link}`).join(''), 'Atom');
  return model.isArchive
    ? insertAfterOnce(withLinks, '<feed xmlns="http://www.w3.org/2005/Atom"', ` xmlns:fh="${FEED_HISTORY_NS}"`, 'Atom')
    : withLinks;
}

function atomEntry(entry: FeedEntry): Item {
  return {
    // `feed` declares the title type="html", so the plain-text title is escaped as HTML.
    title: textAsHtml(entry.title),
    id: entry.id,
    link: entry.url,
    date: entry.updated,
    published: entry.published,
    description: textAsHtml(entry.summary),
    content: guardCdata(entry.html),
    author: entry.authors.map(atomPerson),
    category: entry.tags.map((tag) => ({ term: tag })),
    // No enclosure here: `feed` would guess its type from the file extension (image/jpg, or worse).
  };
}

function atomPerson({ name, email, url }: FeedPerson): Author {
  return { name, email, link: url };
}

/** `feed` ignores the language in Atom; xml:lang on the root says it for the whole document. */
function withLanguage(xml: string, language: string): string {
  return replaceOnce(xml, ATOM_ROOT, `${ATOM_ROOT.slice(0, -1)} xml:lang="${xmlAttribute(language)}">`);
}

/**
 * Each entry's image as a rel="enclosure" link with our own type and length, after the entry's
 * page link. One pass over the document: a scan per entry costs a full publish seconds.
 */
function withEnclosures(xml: string, entries: FeedEntry[]): string {
  const enclosures = new Map<string, string>();
  for (const { url, image } of entries) {
    if (image !== undefined)
      enclosures.set(
        xmlAttribute(url),
        `<link rel="enclosure" href="${xmlAttribute(image.url)}" type="${xmlAttribute(image.type)}" length="${image.length}"/>`,
      );
  }
  if (enclosures.size === 0) return xml;
  const placed = new Set<string>();
  const out = xml.replace(/<link href="([^"]*)"\/>/g, (pageLink, href: string) => {
    const enclosure = enclosures.get(href);
    if (enclosure === undefined) return pageLink;
    if (placed.has(href)) throw new Error(`Atom output of \`feed\` changed shape: expected exactly one <link href="${href}"/>`);
    placed.add(href);
    return `${pageLink}\n        ${enclosure}`;
  });
  if (placed.size !== enclosures.size) throw new Error('Atom output of `feed` changed shape: an entry lost its page link');
  return out;
}

/** Fails loudly rather than write a feed without the fix when `feed` changes how it writes a tag. */
function replaceOnce(text: string, anchor: string, replacement: string): string {
  const at = text.indexOf(anchor);
  if (at < 0 || text.includes(anchor, at + 1)) {
    throw new Error(`Atom output of \`feed\` changed shape: expected exactly one ${anchor}`);
  }
  return text.slice(0, at) + replacement + text.slice(at + anchor.length);
}
