/**
 * Where a write places an article in the order articles appeared (StoredArticle.placed). A new
 * article, or a draft made public, is placed at its date or now, whichever is later: a
 * back-dated one appears now. An edit keeps its place, unless its date moves past it.
 */
import { later, placedAt, type StoredArticle } from '../article.js';
import type { ArticleInput } from './ports.js';

/** What a caller writing `input` at `now` gives the store: a placement, or none to let an edit keep its place. */
export function placementFor(input: ArticleInput, now: Date, current?: StoredArticle): string | undefined {
  if (input.placed !== undefined) return input.placed;
  if (current && !(current.draft && !input.draft)) return undefined;
  return later(input.published, now.toISOString());
}

/** The placement a store records: the one given, else the current one (moved to a later date), else the date. */
export function storedPlacement(input: ArticleInput, current?: Pick<StoredArticle, 'published' | 'placed'>): string {
  if (input.placed !== undefined) return input.placed;
  return current ? later(placedAt(current), input.published) : input.published;
}
