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
export function toFeedModel({ site, articles, scope, emptyUpdated }: FeedInput): FeedModel {
  const tag = scope?.tag;
  const entries = orderForFeed(articles).map((article) => toEntry(site, article));
  return {
    title: xmlSafe(tag === undefined ? site.title : `${site.title} — ${tag}`),
    description: xmlSafe(site.description),
    language: site.language,
    copyright: site.copyright === undefined ? undefined : xmlSafe(site.copyright),
    author: toPerson(site.author),
    links: feedLinks(site, tag),
    updated: newestUpdated(entries) ?? new Date(emptyUpdated),
    entries,
  };
}

function feedLinks(site: SiteConfig, tag: string | undefined): FeedLinks {
  const url = (path: string) => siteUrl(site, path);
  if (tag === undefined) {
    return { home: url(''), rss: url(paths.rss), atom: url(paths.atom), json: url(paths.jsonFeed) };
  }
  return { home: url(paths.tagUrl(tag)), rss: url(paths.tagRss(tag)), atom: url(paths.tagAtom(tag)), json: url(paths.tagJsonFeed(tag)) };
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
