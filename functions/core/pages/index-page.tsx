import type { Article } from '../article.js';
import type { SiteConfig } from '../site.js';
import { ArticleList } from './article-list.js';
import { renderDocument } from './document.js';
import { Layout } from './layout.js';
import { TagList } from './parts.js';
import { homeUrl } from '../urls.js';

/** The home page: the latest articles, newest first, and every tag. */
export function renderIndexPage(site: SiteConfig, articles: Article[], tags: string[]): string {
  return renderDocument(
    <Layout site={site} description={site.description} canonical={homeUrl(site)} tags={tags}>
      <h1>{site.title}</h1>
      <p class="muted">{site.description}</p>
      <ArticleList site={site} articles={articles} />
      {tags.length > 0 && (
        <nav aria-labelledby="tags-heading">
          <h2 id="tags-heading">Tags</h2>
          <TagList site={site} tags={tags} />
        </nav>
      )}
    </Layout>,
  );
}
