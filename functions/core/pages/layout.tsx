import type { SiteConfig } from '../site.js';
import type { FeedLink } from './feeds.js';
import { siteFeeds } from './feeds.js';
import { pageCss } from './styles.js';
import { digestIndexUrl, homeUrl, subscribeActionUrl, subscribeAnchor } from '../urls.js';

/** Open Graph properties, in the order they are written. */
export type OpenGraph = Array<[property: string, content: string]>;

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
  /** The page's own content, rendered inside <main>. Typed unknown because the core's lint rule also blocks type imports of hono/jsx's Child. */
  children?: unknown;
}

export function Layout({ site, title, description, canonical, extraFeeds = [], openGraph = [], children }: LayoutProps) {
  const feeds = siteFeeds(site);
  return (
    <html lang={site.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title ? `${title} – ${site.title}` : site.title}</title>
        <meta name="description" content={description} />
        <link rel="canonical" href={canonical} />
        {[...feeds, ...extraFeeds].map((feed) => (
          <link rel="alternate" type={feed.type} title={feed.title} href={feed.href} />
        ))}
        {openGraph.map(([property, content]) => (
          <meta property={property} content={content} />
        ))}
        {/* A constant of ours, not input: written raw so CSS is not entity-escaped. */}
        <style dangerouslySetInnerHTML={{ __html: pageCss }} />
      </head>
      <body>
        <div class="wrap">
          <SiteHeader site={site} />
          <main>{children}</main>
          <footer class="site-footer">
            <section class="subscribe" id={subscribeAnchor} aria-labelledby="subscribe-heading">
              <h2 id="subscribe-heading">Get new articles by email</h2>
              <form method="post" action={subscribeActionUrl(site)}>
                <label for="subscribe-email">Email address</label>
                <input id="subscribe-email" type="email" name="email" autocomplete="email" required />
                <button type="submit">Subscribe</button>
              </form>
            </section>
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

/** The bar with the site's name that every page, the subscription notices too, starts with. */
export function SiteHeader({ site }: { site: SiteConfig }) {
  return (
    <header class="site-header">
      <a class="site-title" href={homeUrl(site)}>
        {site.title}
      </a>
    </header>
  );
}
