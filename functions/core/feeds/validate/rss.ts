/** RSS 2.0 (rssboard.org/rss-specification) with the extensions Pressrun writes, checked over a parsed tree. */
import type { ProblemList } from './problems.js';
import { checkAbsoluteUrl, checkContentUrls, checkRfc822, isAbsoluteHttpUrl, isAbsoluteUri, slugOfArticleUrl } from './rules.js';
import type { FeedCheckContext } from './context.js';
import { attribute, children, elementNames, text, type XmlNode } from './xml.js';

const CHANNEL_ELEMENTS = new Set([
  'title',
  'link',
  'description',
  'language',
  'copyright',
  'managingEditor',
  'webMaster',
  'pubDate',
  'lastBuildDate',
  'category',
  'generator',
  'docs',
  'cloud',
  'ttl',
  'image',
  'rating',
  'textInput',
  'skipHours',
  'skipDays',
  'item',
]);
const ITEM_ELEMENTS = new Set(['title', 'link', 'description', 'author', 'category', 'comments', 'enclosure', 'guid', 'pubDate', 'source']);
const ONCE_IN_CHANNEL = ['title', 'link', 'description'];
const AT_MOST_ONCE_IN_ITEM = ['title', 'link', 'description', 'guid', 'pubDate', 'comments', 'source', 'content:encoded'];
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$^_.+-]*\/[a-z0-9][a-z0-9!#$^_.+-]*$/i;
const RSS_TYPE = 'application/rss+xml';

/** Item ids in document order, for the cross-format check; undefined when the document is not RSS at all. */
export function checkRss(root: { name: string; node: XmlNode }, ctx: FeedCheckContext, problems: ProblemList): string[] | undefined {
  if (root.name !== 'rss' || attribute(root.node, 'version') !== '2.0') {
    problems.add('schema', '/', `the root must be <rss version="2.0">, found <${root.name}>`);
    return undefined;
  }
  const channels = children(root.node, 'channel');
  if (channels.length !== 1) {
    problems.add('schema', 'rss', `must hold exactly one <channel>, found ${channels.length}`);
    return undefined;
  }
  const channel = channels[0]!;
  for (const name of elementNames(channel)) {
    if (!name.includes(':') && !CHANNEL_ELEMENTS.has(name))
      problems.add('schema', `channel.${name}`, `<${name}> is not an RSS 2.0 channel element (extensions need a namespace)`);
  }
  for (const name of ONCE_IN_CHANNEL) {
    const found = children(channel, name).length;
    if (found !== 1) problems.add('schema', `channel.${name}`, `must appear exactly once, found ${found}`);
  }
  checkAbsoluteUrl(text(children(channel, 'link')[0]), 'channel.link', problems);
  for (const name of ['lastBuildDate', 'pubDate']) {
    for (const date of children(channel, name)) checkRfc822(text(date), `channel.${name}`, { now: ctx.now, problems });
  }
  checkChannelLinks(channel, ctx, problems);

  const ids: string[] = [];
  const seen = new Set<string>();
  children(channel, 'item').forEach((item, i) => {
    const id = checkItem(item, `channel.item.${i}`, ctx, problems);
    if (id === undefined) return;
    if (seen.has(id)) problems.add('unique-id', `channel.item.${i}.guid`, `the guid ${id} is used by an earlier item`, itemSlug(item, ctx));
    seen.add(id);
    ids.push(id);
  });
  return ids;
}

function checkChannelLinks(channel: XmlNode, ctx: FeedCheckContext, problems: ProblemList): void {
  const links = children(channel, 'atom:link');
  for (const [i, link] of links.entries()) {
    checkAbsoluteUrl(attribute(link, 'href'), `channel.atom:link.${i}@href`, problems);
    if (attribute(link, 'rel') === undefined) problems.add('schema', `channel.atom:link.${i}`, 'an atom:link needs a rel');
  }
  const self = links.filter((link) => attribute(link, 'rel') === 'self');
  if (self.length !== 1 || attribute(self[0], 'href') !== ctx.selfUrl || attribute(self[0], 'type') !== RSS_TYPE) {
    problems.add(
      'self-link',
      'channel.atom:link',
      `must hold exactly one <atom:link rel="self" type="${RSS_TYPE}" href="${ctx.selfUrl}"/>`,
    );
  }
  checkArchiveMarkers(
    links.map((link) => attribute(link, 'rel')),
    children(channel, 'fh:archive').length,
    'channel',
    ctx,
    problems,
  );
}

/** RFC 5005 section 4, for any format: which links and markers an archive or subscription document carries. */
export function checkArchiveMarkers(
  rels: Array<string | undefined>,
  archiveMarkers: number,
  path: string,
  ctx: FeedCheckContext,
  problems: ProblemList,
): void {
  if (ctx.archivePage === undefined) {
    if (archiveMarkers > 0) problems.add('archive', path, 'a subscription document must not carry fh:archive');
    return;
  }
  if (archiveMarkers !== 1) problems.add('archive', path, `an archive document carries exactly one fh:archive, found ${archiveMarkers}`);
  if (!rels.includes('current')) problems.add('archive', path, 'an archive document links to the subscription document with rel="current"');
  if (ctx.archivePage > 1 && !rels.includes('prev-archive'))
    problems.add('archive', path, `archive page ${ctx.archivePage} must link to page ${ctx.archivePage - 1} with rel="prev-archive"`);
  if (ctx.archivePage === 1 && rels.includes('prev-archive')) problems.add('archive', path, 'the first archive page has no prev-archive');
}

function itemSlug(item: XmlNode, ctx: FeedCheckContext): string | undefined {
  return slugOfArticleUrl(ctx.baseUrl, text(children(item, 'link')[0]));
}

// eslint-disable-next-line complexity -- RSS 2.0's rules for an item, one check each
function checkItem(item: XmlNode, path: string, ctx: FeedCheckContext, problems: ProblemList): string | undefined {
  const slug = itemSlug(item, ctx);
  for (const name of elementNames(item)) {
    if (!name.includes(':') && !ITEM_ELEMENTS.has(name))
      problems.add('schema', `${path}.${name}`, `<${name}> is not an RSS 2.0 item element`, slug);
  }
  for (const name of AT_MOST_ONCE_IN_ITEM) {
    if (children(item, name).length > 1) problems.add('schema', `${path}.${name}`, `must appear at most once`, slug);
  }
  if (children(item, 'title').length + children(item, 'description').length === 0) {
    problems.add('schema', path, 'an item needs a title or a description', slug);
  }
  for (const link of children(item, 'link')) checkAbsoluteUrl(text(link), `${path}.link`, problems, slug);
  for (const date of children(item, 'pubDate'))
    checkRfc822(text(date), `${path}.pubDate`, { now: ctx.now, problems, ...(slug ? { slug } : {}) });
  for (const name of ['description', 'content:encoded']) {
    for (const html of children(item, name)) checkContentUrls(text(html), `${path}.${name}`, problems, slug);
  }
  for (const [i, category] of children(item, 'category').entries()) {
    if (text(category).trim() === '') problems.add('schema', `${path}.category.${i}`, 'a category must not be empty', slug);
  }
  const enclosures = children(item, 'enclosure');
  if (enclosures.length > 1) problems.add('enclosure', `${path}.enclosure`, 'RSS 2.0 readers take one enclosure per item', slug);
  enclosures.forEach((enclosure) => checkEnclosure(enclosure, `${path}.enclosure`, problems, slug));

  const guid = children(item, 'guid')[0];
  const id = text(guid).trim();
  if (guid === undefined || id === '') {
    problems.add('stable-id', `${path}.guid`, 'every item needs a guid, or readers fall back to links and titles that change', slug);
    return undefined;
  }
  if (!isAbsoluteUri(id)) problems.add('stable-id', `${path}.guid`, `the guid "${id}" is not an absolute URI`, slug);
  const permaLink = attribute(guid, 'isPermaLink');
  if (permaLink !== undefined && permaLink !== 'true' && permaLink !== 'false')
    problems.add('schema', `${path}.guid@isPermaLink`, 'must be "true" or "false"', slug);
  if (permaLink !== 'false' && !isAbsoluteHttpUrl(id))
    problems.add('guid-permalink', `${path}.guid`, `the guid "${id}" is not a URL, so it needs isPermaLink="false"`, slug);
  return id;
}

function checkEnclosure(enclosure: XmlNode, path: string, problems: ProblemList, slug?: string): void {
  const names = Object.keys(enclosure)
    .filter((name) => name.startsWith('@'))
    .map((name) => name.slice(1))
    .sort();
  if (names.join(',') !== 'length,type,url')
    problems.add('enclosure', path, `must carry exactly url, length and type, found ${names.join(', ') || 'none'}`, slug);
  checkAbsoluteUrl(attribute(enclosure, 'url'), `${path}@url`, problems, slug);
  if (!/^\d+$/.test(attribute(enclosure, 'length') ?? ''))
    problems.add('enclosure', `${path}@length`, 'must be a whole number of bytes (0 when unknown)', slug);
  if (!MIME_TYPE.test(attribute(enclosure, 'type') ?? ''))
    problems.add('enclosure', `${path}@type`, 'must be a MIME type such as image/jpeg', slug);
  if (text(enclosure).trim() !== '') problems.add('enclosure', path, 'must be empty', slug);
}
