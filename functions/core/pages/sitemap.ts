/**
 * sitemap.xml (sitemaps.org 0.9) as an index of small sitemaps that follow the feed archive:
 * one per closed archive page of the site (never rewritten unless an article in it changes),
 * one for the articles not yet in a closed page, and one for the listing pages. So a publish
 * rewrites the sitemaps it touches, not one file of every URL.
 */
import { xmlAttribute } from '../feeds/xml-text.js';
import type { Article } from '../article.js';
import { paths, siteUrl, type SiteConfig } from '../site.js';
import { articleUrl, digestIndexUrl, homeUrl, tagUrl } from '../urls.js';

const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const escape = (text: string) => xmlAttribute(text);

export function renderSitemapIndex(site: SiteConfig, closedPages: number): string {
  const keys = [
    paths.sitemapPages,
    ...Array.from({ length: closedPages }, (_, i) => paths.sitemapArticles(i + 1)),
    paths.sitemapArticles('latest'),
  ];
  const entries = keys.map((key) => `  <sitemap><loc>${escape(siteUrl(site, key))}</loc></sitemap>`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="${NS}">\n${entries.join('\n')}\n</sitemapindex>\n`;
}

/** The article pages of `articles`, each with its last change. */
export function renderArticleSitemap(site: SiteConfig, articles: readonly Article[]): string {
  const sorted = [...articles].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  return urlSet(
    sorted
      .map((a) => ({ loc: a.canonicalUrl === undefined ? articleUrl(site, a.slug) : undefined, lastmod: a.updated }))
      .filter((e): e is { loc: string; lastmod: string } => e.loc !== undefined),
  );
}

/** The home page, the digest archive, and each tag's page and feed page. */
export function renderPagesSitemap(site: SiteConfig, tags: readonly string[]): string {
  const locs = [
    homeUrl(site),
    siteUrl(site, paths.feedPageUrl),
    digestIndexUrl(site),
    ...[...tags].sort().flatMap((tag) => [tagUrl(site, tag), siteUrl(site, paths.tagFeedPageUrl(tag))]),
  ];
  return urlSet(locs.map((loc) => ({ loc })));
}

function urlSet(entries: Array<{ loc: string; lastmod?: string }>): string {
  const lines = entries.map(
    ({ loc, lastmod }) => `  <url><loc>${escape(loc)}</loc>${lastmod ? `<lastmod>${escape(lastmod)}</lastmod>` : ''}</url>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="${NS}">\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}</urlset>\n`;
}

/** Crawlers may read the site but not the API, and find the sitemap here. */
export function renderRobots(site: SiteConfig): string {
  return `User-agent: *\nDisallow: /api/\n\nSitemap: ${siteUrl(site, paths.sitemap)}\n`;
}
