/**
 * The one model every feed format is rendered from: what buildFeeds' input means for a feed,
 * with absolute URLs, real dates, site defaults applied and every string XML-safe.
 */
import type { Article, Author } from '../article.js';
import { stripXmlForbidden as xmlSafe } from '../content/xml-chars.js';
import { paths, siteUrl, type SiteConfig } from '../site.js';
import { orderForFeed } from './order-articles.js';
import { textAsHtml } from './xml-text.js';

export interface FeedScope {
  /** Absent: the whole site. */
  tag?: string;
}

export interface FeedInput {
  site: SiteConfig;
  /** Newest first and limited by the caller; buildFeeds orders and de-duplicates them again anyway. */
  articles: Article[];
  scope?: FeedScope;
  /** RFC 3339 `updated` of a feed without articles; never "now", so an empty feed stays byte-identical. */
  emptyUpdated: string;
  /** Where this document sits among the scope's RFC 5005 archive pages. */
  archive?: FeedArchive;
}

/** RFC 5005 paging: page numbers count from 1, the oldest. */
export interface FeedArchive {
  /** This document is archive page `page`; absent: the subscription document. */
  page?: number;
  /** The next older archive page (prev-archive; JSON Feed's next_url). */
  prev?: number;
  /** The next newer archive page (next-archive; archive documents only). */
  next?: number;
}

/** One document's address in each format. */
export interface FeedUrls {
  rss: string;
  atom: string;
  json: string;
}

/** A head link the XML formats write (atom:link in RSS, link in Atom), in this order. */
export interface FeedHeadLink {
  rel: 'hub' | 'current' | 'prev-archive' | 'next-archive';
  /** Per format, or one URL for all (the hub). */
  href: FeedUrls | string;
}

export interface FeedPerson {
  name: string;
  email?: string;
  url?: string;
}

export interface FeedEnclosure {
  url: string;
  /** Bytes; 0 when unknown. */
  length: number;
  type: string;
}

export interface FeedEntry {
  id: string;
  title: string;
  /** Our article page. */
  url: string;
  /** The canonical URL elsewhere, when the article was first published there. */
  externalUrl?: string;
  /** Plain text. */
  summary: string;
  /** Sanitized HTML, never empty. */
  html: string;
  published: Date;
  updated: Date;
  authors: FeedPerson[];
  tags: string[];
  image?: FeedEnclosure;
}

export interface FeedLinks {
  /** The page the feed mirrors: the home page or the tag page. */
  home: string;
  rss: string;
  atom: string;
  json: string;
}

export interface FeedModel {
  /** True for an RFC 5005 archive document, which carries <fh:archive/>. */
  isArchive: boolean;
  /** Links after the self link: hub, current, prev-archive, next-archive. */
  headLinks: FeedHeadLink[];
  /** The WebSub hub, for JSON Feed's `hubs`. */
  hub?: string;
  /** JSON Feed's next_url: the next older document. */
  olderJson?: string;
  title: string;
  description: string;
  language: string;
  copyright?: string;
  author: FeedPerson;
  links: FeedLinks;
  updated: Date;
  entries: FeedEntry[];
}

/** The model of a feed; expects input that assertFeedInput accepted. */
export function toFeedModel({ site, articles, scope, emptyUpdated, archive = {} }: FeedInput): FeedModel {
  const tag = scope?.tag;
  const entries = orderForFeed(articles).map((article) => toEntry(site, article));
  const current = feedUrls(site, tag);
  const self = archive.page === undefined ? current : feedUrls(site, tag, archive.page);
  const headLinks: FeedHeadLink[] = [];
  if (site.websubHub !== undefined) headLinks.push({ rel: 'hub', href: site.websubHub });
  if (archive.page !== undefined) headLinks.push({ rel: 'current', href: current });
  if (archive.prev !== undefined) headLinks.push({ rel: 'prev-archive', href: feedUrls(site, tag, archive.prev) });
  if (archive.page !== undefined && archive.next !== undefined)
    headLinks.push({ rel: 'next-archive', href: feedUrls(site, tag, archive.next) });
  return {
    isArchive: archive.page !== undefined,
    headLinks,
    hub: site.websubHub,
    olderJson: archive.prev === undefined ? undefined : feedUrls(site, tag, archive.prev).json,
    title: xmlSafe(tag === undefined ? site.title : `${site.title} — ${tag}`),
    description: xmlSafe(site.description),
    language: site.language,
    copyright: site.copyright === undefined ? undefined : xmlSafe(site.copyright),
    author: toPerson(site.author),
    links: { home: siteUrl(site, tag === undefined ? '' : paths.tagUrl(tag)), ...self },
    updated: newestUpdated(entries) ?? new Date(emptyUpdated),
    entries,
  };
}

/** The object keys of a scope's subscription documents, or of one of its archive pages. */
export function feedKeys(tag: string | undefined, page?: number): FeedUrls {
  if (page === undefined) {
    return tag === undefined
      ? { rss: paths.rss, atom: paths.atom, json: paths.jsonFeed }
      : { rss: paths.tagRss(tag), atom: paths.tagAtom(tag), json: paths.tagJsonFeed(tag) };
  }
  return tag === undefined
    ? { rss: paths.archiveRss(page), atom: paths.archiveAtom(page), json: paths.archiveJsonFeed(page) }
    : { rss: paths.tagArchiveRss(tag, page), atom: paths.tagArchiveAtom(tag, page), json: paths.tagArchiveJsonFeed(tag, page) };
}

export function feedUrls(site: SiteConfig, tag: string | undefined, page?: number): FeedUrls {
  const keys = feedKeys(tag, page);
  return { rss: siteUrl(site, keys.rss), atom: siteUrl(site, keys.atom), json: siteUrl(site, keys.json) };
}

function toEntry(site: SiteConfig, article: Article): FeedEntry {
  const summary = xmlSafe(article.summary);
  return {
    id: article.id,
    title: xmlSafe(article.title),
    url: siteUrl(site, paths.articleUrl(article.slug)),
    externalUrl: article.canonicalUrl === undefined ? undefined : new URL(article.canonicalUrl).toString(),
    summary,
    // RSS declares the dc: namespace only for items with content, and JSON Feed needs content on every item.
    html: xmlSafe(article.html).trim() || `<p>${textAsHtml(summary)}</p>`,
    published: new Date(article.published),
    updated: new Date(article.updated),
    authors: (article.authors.length > 0 ? article.authors : [site.author]).map(toPerson),
    tags: article.tags.map(xmlSafe),
    image: article.image && {
      url: new URL(article.image.url).toString(),
      length: article.image.length ?? 0,
      type: article.image.type ?? 'application/octet-stream',
    },
  };
}

function toPerson({ name, email, url }: Author): FeedPerson {
  const cleanEmail = email === undefined ? '' : xmlSafe(email).trim();
  return {
    name: xmlSafe(name),
    ...(cleanEmail === '' ? {} : { email: cleanEmail }),
    ...(url === undefined ? {} : { url: new URL(url).toString() }),
  };
}

function newestUpdated(entries: FeedEntry[]): Date | undefined {
  const times = entries.map((entry) => entry.updated.getTime());
  return times.length === 0 ? undefined : new Date(Math.max(...times));
}
