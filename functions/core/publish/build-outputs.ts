/** Pure: the objects each part of the site is made of. The publish run decides which to build. */
import type { Article } from '../article.js';
import { buildFeeds, type BuiltFeeds } from '../feeds/build-feeds.js';
import { feedKeys } from '../feeds/feed-model.js';
import {
  renderArticlePage,
  renderArticleSitemap,
  renderDigestIndexPage,
  renderFeedPage,
  renderFavicon,
  renderIndexPage,
  renderNotFoundPage,
  renderPagesSitemap,
  renderRobots,
  renderSitemapIndex,
  renderTagPage,
} from '../pages/index.js';
import { renderDigestWebVersion } from '../digest/web-version.js';
import type { Digest } from '../digest/ports.js';
import type { OutputObject } from '../site.js';
import { paths, type SiteConfig } from '../site.js';
import { output } from './outputs.js';

export function articleOutputs(site: SiteConfig, article: Article): OutputObject[] {
  return [output(paths.articlePage(article.slug), renderArticlePage(site, article), 'html', 'page')];
}

/** Where the scope's archive stands: the number of its newest closed page (0: none yet). */
export interface ArchiveLinks {
  newestPage: number;
}

/** The home page, the site-wide feeds and their page for browsers, from the latest articles (newest first). */
export function siteOutputs(
  site: SiteConfig,
  latest: Article[],
  emptyUpdated: string,
  archive: ArchiveLinks = { newestPage: 0 },
): OutputObject[] {
  const feeds = buildFeeds({
    site,
    articles: latest,
    emptyUpdated,
    ...(archive.newestPage > 0 ? { archive: { prev: archive.newestPage } } : {}),
  });
  return [
    output(paths.index, renderIndexPage(site, latest, tagsOf(latest)), 'html', 'listing'),
    output(paths.feedPage, renderFeedPage(site, undefined, latest), 'html', 'listing'),
    ...feedOutputs(feedKeys(undefined), feeds, 'listing'),
  ];
}

/** Every object a tag has besides its archive pages. */
export function tagOutputKeys(tag: string): string[] {
  return [paths.tagPage(tag), paths.tagFeedPage(tag), paths.tagRss(tag), paths.tagAtom(tag), paths.tagJsonFeed(tag)];
}

/** A tag's page, feeds and feed page, from its latest articles (newest first; never empty). */
export function tagOutputs(
  site: SiteConfig,
  tag: string,
  latest: Article[],
  emptyUpdated: string,
  archive: ArchiveLinks = { newestPage: 0 },
): OutputObject[] {
  const feeds = buildFeeds({
    site,
    articles: latest,
    scope: { tag },
    emptyUpdated,
    ...(archive.newestPage > 0 ? { archive: { prev: archive.newestPage } } : {}),
  });
  return [
    output(paths.tagPage(tag), renderTagPage(site, tag, latest), 'html', 'listing'),
    output(paths.tagFeedPage(tag), renderFeedPage(site, tag, latest), 'html', 'listing'),
    ...feedOutputs(feedKeys(tag), feeds, 'listing'),
  ];
}

/**
 * Closed archive page `page` of the site (tag undefined) or a tag, in the three formats, from its
 * articles (any order). `newestPage` is the newest closed page, which has no next-archive yet.
 */
export function archiveOutputs(
  site: SiteConfig,
  tag: string | undefined,
  page: number,
  articles: Article[],
  newestPage: number,
  emptyUpdated: string,
): OutputObject[] {
  const feeds = buildFeeds({
    site,
    articles,
    emptyUpdated,
    ...(tag === undefined ? {} : { scope: { tag } }),
    archive: { page, ...(page > 1 ? { prev: page - 1 } : {}), ...(page < newestPage ? { next: page + 1 } : {}) },
  });
  return feedOutputs(feedKeys(tag, page), feeds, 'archive');
}

/** The keys of archive pages 1 to `pages` of a scope, in every format. */
export function archiveOutputKeys(tag: string | undefined, pages: number): string[] {
  return Array.from({ length: pages }, (_, i) => Object.values(feedKeys(tag, i + 1))).flat();
}

function feedOutputs(keys: { rss: string; atom: string; json: string }, feeds: BuiltFeeds, cache: 'listing' | 'archive'): OutputObject[] {
  return [
    output(keys.rss, feeds.rss, 'rss', cache),
    output(keys.atom, feeds.atom, 'atom', cache),
    output(keys.json, feeds.json, 'json', cache),
  ];
}

/** The sitemap index, the sitemap of listing pages, robots.txt, and the site-wide pieces: its icon and its 404 page. */
export function sitemapIndexOutputs(site: SiteConfig, closedPages: number, tags: readonly string[]): OutputObject[] {
  return [
    output(paths.sitemap, renderSitemapIndex(site, closedPages), 'xml', 'listing'),
    output(paths.sitemapPages, renderPagesSitemap(site, tags), 'xml', 'listing'),
    output(paths.robots, renderRobots(site), 'text', 'listing'),
    output(paths.favicon, renderFavicon(site), 'svg', 'page'),
    output(paths.notFound, renderNotFoundPage(site), 'html', 'page'),
  ];
}

/** The sitemap of one closed site archive page, or of the articles in no closed page yet. */
export function articleSitemapOutput(site: SiteConfig, page: number | 'latest', articles: readonly Article[]): OutputObject {
  return output(paths.sitemapArticles(page), renderArticleSitemap(site, articles), 'xml', page === 'latest' ? 'listing' : 'page');
}

/** A digest's web version: never rewritten once published. */
export function digestPageOutput(site: SiteConfig, digest: Digest): OutputObject {
  return output(paths.digestPage(digest.id), renderDigestWebVersion(site, digest), 'html', 'immutable');
}

/** The digest archive page, newest first. */
export function digestIndexOutput(site: SiteConfig, archive: Array<Omit<Digest, 'html' | 'text'>>): OutputObject {
  return output(paths.digestIndex, renderDigestIndexPage(site, archive), 'html', 'listing');
}

function tagsOf(articles: Article[]): string[] {
  return [...new Set(articles.flatMap((a) => a.tags))].sort();
}
