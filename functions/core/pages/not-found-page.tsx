import type { SiteConfig } from '../site.js';
import { homeUrl } from '../urls.js';
import { renderDocument } from './document.js';
import { Layout } from './layout.js';

/** What a reader gets for a URL that names nothing: the site around it, and the way home. */
export function renderNotFoundPage(site: SiteConfig): string {
  return renderDocument(
    <Layout site={site} title="Page not found" description={`This page is not on ${site.title}.`} canonical={homeUrl(site)}>
      <h1>Page not found</h1>
      <p>Nothing is published at this address. It may have been moved or taken down.</p>
      <p>
        <a href={homeUrl(site)}>← All articles</a>
      </p>
    </Layout>,
  );
}
