import type { SiteConfig } from '../site.js';
import { paths, siteUrl } from '../site.js';

/** One feed a page announces for autodiscovery and links to. */
export interface FeedLink {
  type: 'application/rss+xml' | 'application/atom+xml' | 'application/feed+json';
  /** Short name shown in links, e.g. "RSS". */
  label: string;
  /** The feed's title for autodiscovery, naming the site (and tag). */
  title: string;
  /** Absolute URL. */
  href: string;
}

const formats = [
  { type: 'application/rss+xml', label: 'RSS', site: paths.rss, tag: paths.tagRss },
  { type: 'application/atom+xml', label: 'Atom', site: paths.atom, tag: paths.tagAtom },
  { type: 'application/feed+json', label: 'JSON Feed', site: paths.jsonFeed, tag: paths.tagJsonFeed },
] as const;

/** The site-wide RSS, Atom and JSON feeds. */
export function siteFeeds(site: SiteConfig): FeedLink[] {
  return formats.map((f) => ({ type: f.type, label: f.label, title: `${site.title} (${f.label})`, href: siteUrl(site, f.site) }));
}

/** The feeds of one tag. */
export function tagFeeds(site: SiteConfig, tag: string): FeedLink[] {
  return formats.map((f) => ({
    type: f.type,
    label: f.label,
    title: `${site.title}: ${tag} (${f.label})`,
    href: siteUrl(site, f.tag(tag)),
  }));
}
