import type { SiteConfig } from '../site.js';
import type { FeedLink } from './feeds.js';
import { siteFeeds } from './feeds.js';
import { digestIndexUrl, subscribeAnchor } from '../urls.js';
import { Head, SiteHeader, SubscribeForm, type OpenGraph } from './parts.js';

export interface LayoutProps {
  site: SiteConfig;
  /** The page's own title, without the site name; omitted on the home page. */
  title?: string;
  description: string;
  /** Absolute URL. */
  canonical: string;
  /** Feeds to announce besides the site's own (a tag's feeds on its page). */
  extraFeeds?: FeedLink[];
  openGraph?: OpenGraph;
  /**
   * Tags the subscribe form offers to follow: the page's own, never the whole site's, so a new
   * tag elsewhere does not change (and rewrite) every page.
   */
  tags?: readonly string[];
  /** The page's own content, rendered inside <main>. Typed unknown because the core's lint rule also blocks type imports of hono/jsx's Child. */
  children?: unknown;
}

export function Layout({ site, title, description, canonical, extraFeeds = [], openGraph = [], tags = [], children }: LayoutProps) {
  const feeds = siteFeeds(site);
  return (
    <html lang={site.language}>
      <Head
        site={site}
        {...(title ? { title } : {})}
        description={description}
        canonical={canonical}
        feeds={[...feeds, ...extraFeeds]}
        openGraph={openGraph}
      />
      <body>
        <div class="wrap">
          <SiteHeader site={site} />
          <main>{children}</main>
          <footer class="site-footer">
            <SubscribeForm site={site} id={subscribeAnchor} heading="Get new articles by email" tags={tags} />
            <nav aria-label="Feeds and archive">
              <ul class="feeds">
                {feeds.map((feed) => (
                  <li>
                    <a href={feed.href} type={feed.type}>
                      {feed.label}
                    </a>
                  </li>
                ))}
                <li>
                  <a href={digestIndexUrl(site)}>Past digests</a>
                </li>
              </ul>
            </nav>
          </footer>
        </div>
      </body>
    </html>
  );
}
