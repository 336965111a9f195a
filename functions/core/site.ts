/** Everything about the site that outputs need; built by config.ts, passed into the pure core. */
export interface SiteConfig {
  /** Public base URL with a trailing slash, e.g. "https://news.example.com/". */
  baseUrl: string;
  title: string;
  description: string;
  /** BCP 47 language tag, e.g. "en". */
  language: string;
  /** Default author for articles that name none. */
  author: { name: string; email?: string; url?: string };
  copyright?: string;
  /** How many items a feed (site-wide or per tag) holds. Default 50. */
  feedItemLimit: number;
  /** How many articles a digest holds at most. Default 20. */
  digestArticleLimit: number;
  /** The subscribe form posts here (absolute or site-relative). */
  subscribeUrl: string;
  /** A WebSub hub (https://www.w3.org/TR/websub/) every feed names in a rel="hub" link and each publish pings. */
  websubHub?: string;
  /** The IANA time zone readers' daily and weekly hours are in (PRESSRUN_TIME_ZONE); UTC when not given. */
  timeZone?: string;
}

/** An absolute URL on the site for a site-relative path such as "articles/x/". */
export function siteUrl(site: Pick<SiteConfig, 'baseUrl'>, path: string): string {
  return new URL(path.replace(/^\/+/, ''), site.baseUrl).toString();
}

/** Where each output lives in the bucket; the single source of truth for object keys and page URLs. */
export const paths = {
  articlePage: (slug: string) => `articles/${slug}/index.html`,
  articleUrl: (slug: string) => `articles/${slug}/`,
  index: 'index.html',
  rss: 'feed.xml',
  atom: 'atom.xml',
  jsonFeed: 'feed.json',
  tagPage: (tag: string) => `tags/${tag}/index.html`,
  tagUrl: (tag: string) => `tags/${tag}/`,
  tagRss: (tag: string) => `tags/${tag}/feed.xml`,
  tagAtom: (tag: string) => `tags/${tag}/atom.xml`,
  tagJsonFeed: (tag: string) => `tags/${tag}/feed.json`,
  digestPage: (id: string) => `digests/${id}/index.html`,
  digestUrl: (id: string) => `digests/${id}/`,
  digestIndex: 'digests/index.html',
  /** RFC 5005 archive pages, numbered from 1 (the oldest); a closed page keeps its number and articles. */
  archiveRss: (page: number) => `archive/feed-${page}.xml`,
  archiveAtom: (page: number) => `archive/atom-${page}.xml`,
  archiveJsonFeed: (page: number) => `archive/feed-${page}.json`,
  tagArchiveRss: (tag: string, page: number) => `tags/${tag}/archive/feed-${page}.xml`,
  tagArchiveAtom: (tag: string, page: number) => `tags/${tag}/archive/atom-${page}.xml`,
  tagArchiveJsonFeed: (tag: string, page: number) => `tags/${tag}/archive/feed-${page}.json`,
  /** The page a browser gets for a feed URL (see functions/edge/feed-page-rewrite.js): how to subscribe. */
  feedPage: 'feeds/index.html',
  feedPageUrl: 'feeds/',
  tagFeedPage: (tag: string) => `tags/${tag}/feeds/index.html`,
  tagFeedPageUrl: (tag: string) => `tags/${tag}/feeds/`,
  sitemap: 'sitemap.xml',
  sitemapPages: 'sitemaps/pages.xml',
  /** The article pages of site archive page `page`; "latest" holds those not yet in a closed page. */
  sitemapArticles: (page: number | 'latest') => `sitemaps/articles-${page}.xml`,
  robots: 'robots.txt',
  /** The site's icon, which every page links to. */
  favicon: 'favicon.svg',
  /** What a reader gets for a URL that names nothing (CloudFront and the local server serve it with a 404). */
  notFound: '404.html',
} as const;

/** A complete object ready to be written to the site bucket. */
export interface OutputObject {
  key: string;
  body: string;
  contentType: string;
  cacheControl: string;
}
