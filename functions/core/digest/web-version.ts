import type { SiteConfig } from '../site.js';
import { digestIndexUrl, digestUrl, subscribeSectionUrl } from '../urls.js';
import type { Digest } from './ports.js';
import { personalizeDigest } from './personalize.js';

/** The template's mail-only part (templates/digest.mjml): why the reader receives it, view in browser, unsubscribe. */
const MAIL_ONLY_START = '<!-- pressrun:mail-only -->';
const MAIL_ONLY_END = '<!-- /pressrun:mail-only -->';

const attribute = (url: string) => url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

const webFooter = (site: SiteConfig) =>
  `<p style="margin:16px auto 32px;max-width:600px;text-align:center;font:13px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#5f6368;">` +
  `<a href="${attribute(subscribeSectionUrl(site))}" style="color:#5f6368;">Get the digest by email</a> · ` +
  `<a href="${attribute(digestIndexUrl(site))}" style="color:#5f6368;">Past digests</a></p>`;

/**
 * The page published at digests/<id>/index.html: the digest as mailed, without what only
 * makes sense in a mailbox, and with a way to subscribe instead. A template without the
 * mail-only markers keeps its footer; its links are filled for the web: "View in browser"
 * points to the page itself, "Unsubscribe" (which cannot name a reader here) to the
 * subscribe section of the home page.
 */
export function renderDigestWebVersion(site: SiteConfig, digest: Digest): string {
  const html = personalizeDigest(digest, {
    webVersionUrl: digestUrl(site, digest.id),
    preferencesUrl: subscribeSectionUrl(site),
    unsubscribeUrl: subscribeSectionUrl(site),
  }).html;
  const start = html.indexOf(MAIL_ONLY_START);
  const end = html.indexOf(MAIL_ONLY_END, start);
  if (start < 0 || end < 0) return html;
  return html.slice(0, start) + webFooter(site) + html.slice(end + MAIL_ONLY_END.length);
}

/**
 * The digest as an editor previews it before anyone receives it: the mail as a reader gets
 * it, its per-reader links filled with ones that work for anybody (the digest archive, the
 * subscribe section) instead of showing their placeholders.
 */
export function renderDigestPreview(site: SiteConfig, digest: Digest): Digest {
  return {
    ...digest,
    ...personalizeDigest(digest, {
      webVersionUrl: digestIndexUrl(site),
      unsubscribeUrl: subscribeSectionUrl(site),
      preferencesUrl: subscribeSectionUrl(site),
    }),
  };
}
