import type { Article } from '../article.js';
import type { SiteConfig } from '../site.js';
import { paths, siteUrl } from '../site.js';
import { ArticleList } from './article-list.js';
import { renderDocument } from './document.js';
import { siteFeeds, tagFeeds } from './feeds.js';
import { Layout } from './layout.js';
import { homeUrl, subscribeAnchor, tagUrl } from '../urls.js';

/** How many of the latest articles the page previews. */
const PREVIEW = 10;

/**
 * What a browser shows for a feed URL (the edge serves it for `Accept: text/html`; readers get
 * the feed): what a feed is, the three addresses to copy into a reader, and the latest articles.
 */
export function renderFeedPage(site: SiteConfig, tag: string | undefined, latest: Article[]): string {
  const feeds = tag === undefined ? siteFeeds(site) : tagFeeds(site, tag);
  const name = tag === undefined ? site.title : `${site.title}: ${tag}`;
  const canonical = siteUrl(site, tag === undefined ? paths.feedPageUrl : paths.tagFeedPageUrl(tag));
  return renderDocument(
    <Layout
      site={site}
      title={`Follow ${name}`}
      description={`Feeds of ${name}: copy one into your feed reader.`}
      canonical={canonical}
      extraFeeds={tag === undefined ? [] : feeds}
    >
      <h1>Follow {name}</h1>
      <p>
        This is a <strong>web feed</strong>. Feed readers (NetNewsWire, Feedly, Inoreader, Thunderbird, newsboat…) check it for you and show
        each new article as it is published. Copy one of these addresses into your reader; if you are unsure which, take RSS.
      </p>
      <ul class="feed-urls">
        {feeds.map((feed) => (
          <li>
            <strong>{feed.label}</strong>
            <br />
            <a href={feed.href} type={feed.type}>
              <code>{feed.href}</code>
            </a>
          </li>
        ))}
      </ul>
      <p>
        Rather have it by email? <a href={`${homeUrl(site)}#${subscribeAnchor}`}>Subscribe to the digest</a>.
      </p>
      <h2>Latest articles</h2>
      <ArticleList site={site} articles={latest.slice(0, PREVIEW)} />
      <p>
        <a href={tag === undefined ? homeUrl(site) : tagUrl(site, tag)}>
          ← {tag === undefined ? 'All articles' : `Everything tagged “${tag}”`}
        </a>
      </p>
    </Layout>,
  );
}
