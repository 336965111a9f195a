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
} as const;
