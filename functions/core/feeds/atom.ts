/** Atom 1.0 through `feed`, with the gaps it leaves filled. */
import { Feed, type Author, type Item } from 'feed';
import type { FeedEntry, FeedModel, FeedPerson } from './feed-model.js';
import { guardCdata, textAsHtml, xmlAttribute } from './xml-text.js';

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
  return withEnclosures(withLanguage(feed.atom1(), model.language), model.entries);
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

/** Each entry's image as a rel="enclosure" link with our own type and length, after the entry's page link. */
function withEnclosures(xml: string, entries: FeedEntry[]): string {
  return entries.reduce((out, { url, image }) => {
    if (image === undefined) return out;
    const pageLink = `<link href="${xmlAttribute(url)}"/>`;
    const enclosure = `<link rel="enclosure" href="${xmlAttribute(image.url)}" type="${xmlAttribute(image.type)}" length="${image.length}"/>`;
    return replaceOnce(out, pageLink, `${pageLink}\n        ${enclosure}`);
  }, xml);
}

/** Fails loudly rather than write a feed without the fix when `feed` changes how it writes a tag. */
function replaceOnce(text: string, anchor: string, replacement: string): string {
  const at = text.indexOf(anchor);
  if (at < 0 || text.includes(anchor, at + 1)) {
    throw new Error(`Atom output of \`feed\` changed shape: expected exactly one ${anchor}`);
  }
  return text.slice(0, at) + replacement + text.slice(at + anchor.length);
}
