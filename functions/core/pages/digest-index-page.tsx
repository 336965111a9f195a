import type { SiteConfig } from '../site.js';
import { renderDocument } from './document.js';
import { formatDate } from './format-date.js';
import { Layout } from './layout.js';
import { newestCreatedFirst } from './order.js';
import { digestIndexUrl, digestUrl, homeUrl } from '../urls.js';

/** What the archive lists of each digest (a Digest without its bodies fits). */
export interface DigestSummary {
  id: string;
  createdAt: string;
  subject: string;
  articleSlugs: string[];
}

/** The archive of past email digests, newest first, each linking to its web version. */
export function renderDigestIndexPage(site: SiteConfig, digests: DigestSummary[]): string {
  return renderDocument(
    <Layout site={site} title="Past digests" description={`Every email digest ${site.title} has sent.`} canonical={digestIndexUrl(site)}>
      <h1>Past digests</h1>
      {digests.length === 0 ? (
        <p class="muted">No digest has been sent yet.</p>
      ) : (
        <ul class="entries">
          {newestCreatedFirst(digests).map((digest) => (
            <li>
              <h2>
                <a href={digestUrl(site, digest.id)}>{digest.subject}</a>
              </h2>
              <p class="meta">
                <time datetime={digest.createdAt}>{formatDate(digest.createdAt, site.language)}</time>
                {` · ${digest.articleSlugs.length} ${digest.articleSlugs.length === 1 ? 'article' : 'articles'}`}
              </p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={homeUrl(site)}>← All articles</a>
      </p>
    </Layout>,
  );
}
