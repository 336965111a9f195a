/** Atom 1.0 (RFC 4287) with the extensions Pressrun writes, checked over a parsed tree. */
import type { FeedCheckContext } from './context.js';
import type { ProblemList } from './problems.js';
import { checkArchiveMarkers } from './rss.js';
import { checkAbsoluteUrl, checkContentUrls, checkRfc3339, isAbsoluteUri, slugOfArticleUrl } from './rules.js';
import { attribute, children, elementNames, text, type XmlNode } from './xml.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const FEED_ELEMENTS = new Set([
  'author',
  'category',
  'contributor',
  'generator',
  'icon',
  'id',
  'link',
  'logo',
  'rights',
  'subtitle',
  'title',
  'updated',
  'entry',
]);
const ENTRY_ELEMENTS = new Set([
  'author',
  'category',
  'content',
  'contributor',
  'id',
  'link',
  'published',
  'rights',
  'source',
  'summary',
  'title',
  'updated',
]);
const FEED_ONCE = ['id', 'title', 'updated'];
const FEED_AT_MOST_ONCE = ['generator', 'icon', 'logo', 'rights', 'subtitle'];
const ENTRY_ONCE = ['id', 'title', 'updated'];
const ENTRY_AT_MOST_ONCE = ['content', 'published', 'rights', 'source', 'summary'];
const TEXT_TYPES = new Set(['text', 'html', 'xhtml']);

export function checkAtom(root: { name: string; node: XmlNode }, ctx: FeedCheckContext, problems: ProblemList): string[] | undefined {
  const feed = root.node;
  if (root.name !== 'feed' || attribute(feed, 'xmlns') !== ATOM_NS) {
    problems.add('schema', '/', `the root must be <feed xmlns="${ATOM_NS}">, found <${root.name}>`);
    return undefined;
  }
  for (const name of elementNames(feed)) {
    if (!name.includes(':') && !FEED_ELEMENTS.has(name)) problems.add('schema', `feed.${name}`, `<${name}> is not an Atom feed element`);
  }
  counts(feed, 'feed', FEED_ONCE, FEED_AT_MOST_ONCE, problems);
  const ctxDates = { now: ctx.now, problems };
  if (!isAbsoluteUri(text(children(feed, 'id')[0]).trim())) problems.add('stable-id', 'feed.id', 'the feed id must be an absolute URI');
  for (const updated of children(feed, 'updated')) checkRfc3339(text(updated), 'feed.updated', ctxDates);
  for (const name of ['title', 'subtitle', 'rights'])
    for (const node of children(feed, name)) checkTextConstruct(node, `feed.${name}`, problems);
  const feedAuthors = children(feed, 'author');
  feedAuthors.forEach((author, i) => checkPerson(author, `feed.author.${i}`, problems));
  const links = children(feed, 'link');
  checkLinks(links, 'feed', problems);
  const self = links.filter((link) => attribute(link, 'rel') === 'self');
  if (self.length !== 1 || attribute(self[0], 'href') !== ctx.selfUrl)
    problems.add('self-link', 'feed.link', `must hold exactly one <link rel="self" href="${ctx.selfUrl}"/>`);
  checkArchiveMarkers(
    links.map((link) => attribute(link, 'rel') ?? 'alternate'),
    children(feed, 'fh:archive').length,
    'feed',
    ctx,
    problems,
  );

  const ids: string[] = [];
  const seen = new Set<string>();
  children(feed, 'entry').forEach((entry, i) => {
    const path = `feed.entry.${i}`;
    const slug = slugOfArticleUrl(ctx.baseUrl, alternateHref(entry));
    const id = checkEntry(entry, path, ctx, problems, slug);
    if (feedAuthors.length === 0 && children(entry, 'author').length === 0)
      problems.add('schema', path, 'an entry needs an author when the feed names none', slug);
    if (id === undefined) return;
    if (seen.has(id)) problems.add('unique-id', `${path}.id`, `the id ${id} is used by an earlier entry`, slug);
    seen.add(id);
    ids.push(id);
  });
  return ids;
}

function alternateHref(entry: XmlNode): string | undefined {
  const link = children(entry, 'link').find((l) => (attribute(l, 'rel') ?? 'alternate') === 'alternate');
  return attribute(link, 'href');
}

// eslint-disable-next-line complexity -- RFC 4287's rules for an entry, one check each
function checkEntry(
  entry: XmlNode,
  path: string,
  ctx: FeedCheckContext,
  problems: ProblemList,
  slug: string | undefined,
): string | undefined {
  for (const name of elementNames(entry)) {
    if (!name.includes(':') && !ENTRY_ELEMENTS.has(name))
      problems.add('schema', `${path}.${name}`, `<${name}> is not an Atom entry element`, slug);
  }
  counts(entry, path, ENTRY_ONCE, ENTRY_AT_MOST_ONCE, problems, slug);
  const dates = { now: ctx.now, problems, ...(slug ? { slug } : {}) };
  for (const name of ['updated', 'published']) for (const node of children(entry, name)) checkRfc3339(text(node), `${path}.${name}`, dates);
  for (const name of ['title', 'summary', 'rights'])
    for (const node of children(entry, name)) checkTextConstruct(node, `${path}.${name}`, problems, slug);
  children(entry, 'author').forEach((author, i) => checkPerson(author, `${path}.author.${i}`, problems, slug));
  for (const [i, category] of children(entry, 'category').entries()) {
    if (!attribute(category, 'term')) problems.add('schema', `${path}.category.${i}`, 'a category needs a term', slug);
  }
  const links = children(entry, 'link');
  checkLinks(links, path, problems, slug);
  for (const [i, link] of links.entries()) {
    if (attribute(link, 'rel') !== 'enclosure') continue;
    if (!attribute(link, 'type') || !/^\d+$/.test(attribute(link, 'length') ?? '')) {
      problems.add('enclosure', `${path}.link.${i}`, 'an enclosure link carries a type and a length in bytes (0 when unknown)', slug);
    }
  }
  const content = children(entry, 'content')[0];
  if (content === undefined && alternateHref(entry) === undefined)
    problems.add('schema', path, 'an entry without content needs a rel="alternate" link', slug);
  if (content !== undefined) {
    const type = attribute(content, 'type') ?? 'text';
    if (!TEXT_TYPES.has(type) && attribute(content, 'src') === undefined && !type.includes('/'))
      problems.add('schema', `${path}.content@type`, `"${type}" is not a content type`, slug);
    if (type === 'html') checkContentUrls(text(content), `${path}.content`, problems, slug);
  }
  for (const summary of children(entry, 'summary'))
    if (attribute(summary, 'type') === 'html') checkContentUrls(text(summary), `${path}.summary`, problems, slug);

  const id = text(children(entry, 'id')[0]).trim();
  if (!isAbsoluteUri(id)) {
    problems.add('stable-id', `${path}.id`, `the id "${id}" is not an absolute URI`, slug);
    return undefined;
  }
  return id;
}

function counts(node: XmlNode, path: string, once: string[], atMostOnce: string[], problems: ProblemList, slug?: string): void {
  for (const name of once) {
    const found = children(node, name).length;
    if (found !== 1) problems.add('schema', `${path}.${name}`, `must appear exactly once, found ${found}`, slug);
  }
  for (const name of atMostOnce) {
    if (children(node, name).length > 1) problems.add('schema', `${path}.${name}`, 'must appear at most once', slug);
  }
}

function checkTextConstruct(node: XmlNode, path: string, problems: ProblemList, slug?: string): void {
  const type = attribute(node, 'type') ?? 'text';
  if (!TEXT_TYPES.has(type)) problems.add('schema', `${path}@type`, `must be text, html or xhtml, found "${type}"`, slug);
}

function checkPerson(person: XmlNode, path: string, problems: ProblemList, slug?: string): void {
  if (children(person, 'name').length !== 1 || text(children(person, 'name')[0]).trim() === '')
    problems.add('schema', `${path}.name`, 'a person has exactly one non-empty name', slug);
  for (const uri of children(person, 'uri')) checkAbsoluteUrl(text(uri), `${path}.uri`, problems, slug);
}

/** Every href absolute; at most one rel="alternate" link per type and hreflang (RFC 4287, 4.1.1). */
function checkLinks(links: XmlNode[], path: string, problems: ProblemList, slug?: string): void {
  const alternates = new Set<string>();
  links.forEach((link, i) => {
    checkAbsoluteUrl(attribute(link, 'href'), `${path}.link.${i}@href`, problems, slug);
    if ((attribute(link, 'rel') ?? 'alternate') !== 'alternate') return;
    const key = `${attribute(link, 'type') ?? ''} ${attribute(link, 'hreflang') ?? ''}`;
    if (alternates.has(key)) problems.add('schema', `${path}.link.${i}`, 'two rel="alternate" links with the same type and hreflang', slug);
    alternates.add(key);
  });
}
