/** The static site's pages: each a pure function from data to a complete HTML document. */
export { renderArticlePage } from './article-page.js';
export { renderIndexPage } from './index-page.js';
export { renderTagPage } from './tag-page.js';
export { renderDigestIndexPage } from './digest-index-page.js';
export { renderFavicon } from './favicon.js';
export { renderNotFoundPage } from './not-found-page.js';
export { renderFeedPage } from './feed-page.js';
export { renderArticleSitemap, renderPagesSitemap, renderRobots, renderSitemapIndex } from './sitemap.js';
export type { DigestSummary } from './digest-index-page.js';
export { subscribeAnchor, subscribeSectionUrl } from '../urls.js';
export { formatDate } from './format-date.js';
