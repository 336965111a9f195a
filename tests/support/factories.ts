/** Fresh test data for every call: no fixture is shared, so no test can change another's. */
import type { Article } from '../../functions/core/article.js';
import type { SiteConfig } from '../../functions/core/site.js';

let sequence = 0;

const HOUR = 3_600_000;
const FIRST_PUBLISHED = Date.UTC(2025, 0, 6, 9, 0, 0);

/**
 * A valid article with every field filled (except `canonicalUrl`, which changes where its
 * link points; pass it as an override). Each call gets a unique slug and id, and a
 * `published` one hour after the previous call's, so creation order is date order.
 */
export function makeArticle(overrides: Partial<Article> = {}): Article {
  const n = ++sequence;
  const published = new Date(FIRST_PUBLISHED + n * HOUR).toISOString();
  const slug = overrides.slug ?? `test-article-${n}`;
  return {
    id: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    slug,
    title: `Test article ${n}`,
    summary: `What test article ${n} is about.`,
    html: `<p>Body of <em>test article ${n}</em>, with <a href="https://example.com/articles/${slug}/">a link</a>.</p>`,
    text: `Body of test article ${n}, with a link (https://example.com/articles/${slug}/).`,
    published,
    updated: overrides.published ?? published,
    authors: [{ name: 'Ada Lovelace', email: 'ada@example.com', url: 'https://example.com/ada' }],
    tags: ['news'],
    image: { url: `https://example.com/images/${slug}.jpg`, alt: `Illustration for test article ${n}`, type: 'image/jpeg', length: 12_345 },
    draft: false,
    ...overrides,
  };
}

export function makeArticles(count: number, overrides: Partial<Article> = {}): Article[] {
  return Array.from({ length: count }, () => makeArticle(overrides));
}

/** A site as config.ts would build it; every call is a fresh object. Other factories override what their tests rely on. */
export function makeSite(overrides: Partial<SiteConfig> = {}): SiteConfig {
  return {
    baseUrl: 'https://news.example.com/',
    title: 'Example News',
    description: 'Notes from the example newsroom',
    language: 'en',
    author: { name: 'The Newsroom', email: 'desk@example.com' },
    feedItemLimit: 50,
    digestArticleLimit: 20,
    subscribeUrl: '/api/subscribe',
    ...overrides,
  };
}
