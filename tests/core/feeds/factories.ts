/** Fresh fixtures for feed tests: every call builds new objects, so no test can change another's. */
import type { Article } from '../../../functions/core/article.js';
import { articleIdFor } from '../../../functions/core/content/article-id.js';
import type { SiteConfig } from '../../../functions/core/site.js';
import { makeSite } from '../../support/factories.js';

export const aSite = (overrides: Partial<SiteConfig> = {}): SiteConfig =>
  makeSite({ author: { name: 'The Newsroom', email: 'desk@example.com', url: 'https://news.example.com/about/' }, ...overrides });

/** An article published `day` days after 2025-04-01 (and updated an hour later), identified by its slug. */
export function anArticle(slug: string, overrides: Partial<Article> = {}, day = 1): Article {
  const published = new Date(Date.UTC(2025, 3, day, 10, 0, 0));
  return {
    id: articleIdFor(slug),
    slug,
    title: `Title of ${slug}`,
    summary: `Summary of ${slug}`,
    html: `<p>Body of ${slug}</p>`,
    text: `Body of ${slug}`,
    published: published.toISOString(),
    updated: new Date(published.getTime() + 3_600_000).toISOString(),
    authors: [{ name: 'Ada Writer' }],
    tags: ['news'],
    draft: false,
    ...overrides,
  };
}

/** `count` articles, newest first as the store returns them, one day apart. */
export function articles(count: number): Article[] {
  return Array.from({ length: count }, (_, i) => anArticle(`article-${count - i}`, {}, count - i));
}

export const EMPTY_UPDATED = '2025-01-01T00:00:00.000Z';
