/** Reading a window of placements from the article store, however many articles it holds. */
import { placedAt, type StoredArticle } from '../article.js';
import type { ArticleStore } from './ports.js';

/** The most ArticleStore.latest returns at once. */
const STORE_PAGE = 1_000;

/** Every article with `after < placed <= before`, however many: ArticleStore.latest pages at most 1,000. */
export async function allInWindow(
  store: Pick<ArticleStore, 'latest'>,
  window: { after?: Date; before: Date; tag?: string },
): Promise<StoredArticle[]> {
  const found = new Map<string, StoredArticle>();
  let before = window.before;
  for (;;) {
    const page = await store.latest({ ...window, before, limit: STORE_PAGE });
    let added = 0;
    for (const article of page) if (!found.has(article.slug) && found.set(article.slug, article)) added++;
    if (page.length < STORE_PAGE || added === 0) break;
    before = new Date(placedAt(page[page.length - 1]!));
  }
  return [...found.values()];
}
