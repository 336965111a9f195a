/**
 * The pieces every page shares, written once: the document head, the bar with the site's
 * name, the subscribe form and a list of tags. Layout (articles, tags, archives) and the
 * subscription notices are both built from them.
 */
import type { SiteConfig } from '../site.js';
import { faviconUrl, homeUrl, subscribeActionUrl, tagUrl } from '../urls.js';
import { ChoiceFields } from './choices.js';
import type { FeedLink } from './feeds.js';
import { pageCss } from './styles.js';

/** Open Graph properties, in the order they are written. */
export type OpenGraph = Array<[property: string, content: string]>;

export interface HeadProps {
  site: SiteConfig;
  /** The page's own title, without the site name; omitted on the home page. */
  title?: string;
  description?: string;
  /** Absolute URL. */
  canonical?: string;
  feeds?: FeedLink[];
  openGraph?: OpenGraph;
  /** Pages that carry a token in their URL: never indexed, never sent as a Referer. */
  private?: boolean;
}

export function Head({ site, title, description, canonical, feeds = [], openGraph = [], private: isPrivate }: HeadProps) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      {isPrivate && <meta name="robots" content="noindex, nofollow" />}
      {isPrivate && <meta name="referrer" content="no-referrer" />}
      <title>{title ? `${title} – ${site.title}` : site.title}</title>
      {description !== undefined && <meta name="description" content={description} />}
      {canonical !== undefined && <link rel="canonical" href={canonical} />}
      <link rel="icon" type="image/svg+xml" href={faviconUrl(site)} />
      {feeds.map((feed) => (
        <link rel="alternate" type={feed.type} title={feed.title} href={feed.href} />
      ))}
      {openGraph.map(([property, content]) => (
        <meta property={property} content={content} />
      ))}
      {/* A constant of ours, not input: written raw so CSS is not entity-escaped. */}
      <style dangerouslySetInnerHTML={{ __html: pageCss }} />
    </head>
  );
}

/** The bar with the site's name that every page starts with. */
export function SiteHeader({ site }: { site: SiteConfig }) {
  return (
    <header class="site-header">
      <a class="site-title" href={homeUrl(site)}>
        {site.title}
      </a>
    </header>
  );
}

export interface SubscribeFormProps {
  site: SiteConfig;
  /** The id the section is reached by (the web version of a digest links to it). */
  id?: string;
  heading?: string;
  /** The address the reader typed, kept when the form is offered again after a refusal. */
  email?: string;
  /** Tags offered to follow: the page's own (an article's, a tag's, the home page's). */
  tags?: readonly string[];
}

/**
 * The subscribe form, in its box: the address and the button first, as ever, and the choices
 * of what to receive folded away beneath them; left folded, the defaults go (the site's digest).
 */
export function SubscribeForm({ site, id, heading, email, tags = [] }: SubscribeFormProps) {
  return (
    <section class="subscribe" id={id} aria-labelledby={heading ? 'subscribe-heading' : undefined}>
      {heading && <h2 id="subscribe-heading">{heading}</h2>}
      <form method="post" action={subscribeActionUrl(site)}>
        <label for="subscribe-email">Email address</label>
        <input id="subscribe-email" type="email" name="email" autocomplete="email" required value={email} />
        <button type="submit">Subscribe</button>
        <details class="choices">
          <summary>Choose topics and how often</summary>
          <ChoiceFields idPrefix="subscribe" tags={tags} timeZone={site.timeZone ?? 'UTC'} />
        </details>
      </form>
    </section>
  );
}

/** Tags as links to their pages. */
export function TagList({ site, tags, label }: { site: SiteConfig; tags: readonly string[]; label?: string }) {
  return (
    <ul class="tags" aria-label={label}>
      {tags.map((tag) => (
        <li>
          <a href={tagUrl(site, tag)} rel="tag">
            {tag}
          </a>
        </li>
      ))}
    </ul>
  );
}
