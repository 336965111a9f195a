import type { Article } from '../article.js';

/**
 * The articles in feed order, whatever order they came in: newest `published` first, slug and
 * then id breaking ties, one per id. Of two copies with the same id the later `updated` wins,
 * as the newer edit. Strings compare by code unit, never by locale, so every machine agrees.
 */
export function orderForFeed(articles: readonly Article[]): Article[] {
  const byId = new Map<string, Article>();
  for (const article of articles) {
    const kept = byId.get(article.id);
    if (kept === undefined || Date.parse(article.updated) > Date.parse(kept.updated)) byId.set(article.id, article);
  }
  return [...byId.values()].sort(newestFirst);
}

function newestFirst(a: Article, b: Article): number {
  return Date.parse(b.published) - Date.parse(a.published) || byCodeUnit(a.slug, b.slug) || byCodeUnit(a.id, b.id);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
