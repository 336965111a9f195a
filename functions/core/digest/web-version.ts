import type { Digest } from './ports.js';
import type { SiteConfig } from '../site.js';
import { digestUrl, subscribeSectionUrl } from '../urls.js';
import { personalizeDigest } from './personalize.js';

/**
 * The page published at digests/<id>/index.html: the digest's own HTML with its tokens filled
 * for the web. "View in browser" points to the page itself; "Unsubscribe" cannot name a
 * recipient there, so it leads to the subscribe section of the home page.
 */
export function renderDigestWebVersion(site: SiteConfig, digest: Digest): string {
  return personalizeDigest(digest, {
    webVersionUrl: digestUrl(site, digest.id),
    unsubscribeUrl: subscribeSectionUrl(site),
  }).html;
}
