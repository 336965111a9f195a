/**
 * Which page a browser gets for a feed URL. Browsers show application/rss+xml and
 * application/atom+xml as plain text (Chromium 156 does; and its XSLT is deprecated, with a
 * warning banner, for application/xml only), so a stylesheet inside the feed cannot help. Instead the
 * edge serves the feed's HTML page to a request whose Accept header puts text/html first (a
 * browser navigating), and the feed itself, unchanged, to everyone else (readers).
 * functions/edge/feed-page-rewrite.js is the same rule as a CloudFront Function; a test keeps them in step.
 */
import { paths } from '../site.js';

const SUBSCRIPTION_FEED = /^(?:tags\/([^/]+)\/)?(?:feed\.xml|atom\.xml|feed\.json)$/;

/** The object key of the HTML page for a subscription feed's object key, or undefined for anything else. */
export function feedPageKeyFor(objectKey: string): string | undefined {
  const match = SUBSCRIPTION_FEED.exec(objectKey);
  if (!match) return undefined;
  return match[1] === undefined ? paths.feedPage : paths.tagFeedPage(match[1]);
}

/** A browser navigating asks for text/html first; feed readers ask for feeds, XML or anything. */
export function prefersHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',')[0]!.trim().toLowerCase().startsWith('text/html');
}
