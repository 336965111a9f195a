import type { Article } from '../article.js';
import type { SiteConfig } from '../site.js';
import { ArticleList } from './article-list.js';
import { renderDocument } from './document.js';
import { tagFeeds } from './feeds.js';
import { Layout } from './layout.js';
import { homeUrl, tagUrl } from '../urls.js';

/** One tag's articles, newest first, announcing the tag's own feeds beside the site's. */
export function renderTagPage(site: SiteConfig, tag: string, articles: Article[]): string {
  const feeds = tagFeeds(site, tag);
  return renderDocument(
    <Layout
      site={site}
      title={`Tagged “${tag}”`}
      description={`Articles tagged “${tag}” on ${site.title}.`}
      canonical={tagUrl(site, tag)}
      extraFeeds={feeds}
      tags={[tag]}
    >
      <h1>Tagged “{tag}”</h1>
      <p class="muted">
        Follow this tag:{' '}
        {feeds.map((feed, i) => (
          <>
            {i > 0 && ' · '}
            <a href={feed.href} type={feed.type}>
              {feed.label}
            </a>
          </>
        ))}
      </p>
      <ArticleList site={site} articles={articles} />
      <p>
        <a href={homeUrl(site)}>← All articles</a>
      </p>
    </Layout>,
  );
}
