/** Atom 1.0 through `feed`, with the gaps it leaves filled. */
import { Feed, type Author, type Item } from 'feed';
import type { FeedEntry, FeedModel, FeedPerson } from './feed-model.js';
import { withHeadLinks } from './head-links.js';
import { guardCdata, insertAfterOnce, textAsHtml, xmlAttribute } from './xml-text.js';

/** How `feed` opens the document; attributes of our own go right after it. */
const ATOM_ROOT_START = '<feed xmlns="http://www.w3.org/2005/Atom"';

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
  return withHeadLinks(withEnclosures(withLanguage(feed.atom1(), model.language), model.entries), model, {
    name: 'Atom',
    self: `<link rel="self" href="${xmlAttribute(model.links.atom)}"/>`,
    element: 'link',
    feedHref: (href) => ({ href: href.atom, type: 'application/atom+xml' }),
    indent: '    ',
    namespaceAnchor: ATOM_ROOT_START,
  });
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
  return insertAfterOnce(xml, ATOM_ROOT_START, ` xml:lang="${xmlAttribute(language)}"`, 'Atom');
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
