import type { Article } from '../article.js';

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first; slug breaks ties so equal dates still give the same output every time. */
export function newestFirst<T extends Pick<Article, 'published' | 'slug'>>(articles: readonly T[]): T[] {
  return [...articles].sort((a, b) => compareText(b.published, a.published) || compareText(a.slug, b.slug));
}

/** Newest first by creation time, id breaking ties. */
export function newestCreatedFirst<T extends { createdAt: string; id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareText(b.createdAt, a.createdAt) || compareText(a.id, b.id));
}
