/** Pure: the objects each part of the site is made of. The publish run decides which to build. */
import type { Article } from '../article.js';
import { buildFeeds } from '../feeds/build-feeds.js';
import { renderArticlePage, renderDigestIndexPage, renderIndexPage, renderTagPage } from '../pages/index.js';
import { renderDigestWebVersion } from '../digest/web-version.js';
import type { Digest, OutputObject } from '../ports.js';
import { paths, type SiteConfig } from '../site.js';
import { output } from './outputs.js';

export function articleOutputs(site: SiteConfig, article: Article): OutputObject[] {
  return [output(paths.articlePage(article.slug), renderArticlePage(site, article), 'html', 'page')];
}

/** The home page and the site-wide feeds, from the latest articles (newest first). */
export function siteOutputs(site: SiteConfig, latest: Article[], emptyUpdated: string): OutputObject[] {
  const feeds = buildFeeds({ site, articles: latest, emptyUpdated });
  return [
    output(paths.index, renderIndexPage(site, latest, tagsOf(latest)), 'html', 'listing'),
    output(paths.rss, feeds.rss, 'rss', 'listing'),
    output(paths.atom, feeds.atom, 'atom', 'listing'),
    output(paths.jsonFeed, feeds.json, 'json', 'listing'),
  ];
}

export function tagOutputKeys(tag: string): string[] {
  return [paths.tagPage(tag), paths.tagRss(tag), paths.tagAtom(tag), paths.tagJsonFeed(tag)];
}

/** A tag's page and feeds, from its latest articles (newest first; never empty). */
export function tagOutputs(site: SiteConfig, tag: string, latest: Article[], emptyUpdated: string): OutputObject[] {
  const feeds = buildFeeds({ site, articles: latest, scope: { tag }, emptyUpdated });
  const [page, rss, atom, json] = tagOutputKeys(tag) as [string, string, string, string];
  return [
    output(page, renderTagPage(site, tag, latest), 'html', 'listing'),
    output(rss, feeds.rss, 'rss', 'listing'),
    output(atom, feeds.atom, 'atom', 'listing'),
    output(json, feeds.json, 'json', 'listing'),
  ];
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
