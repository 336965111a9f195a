/**
 * Creating an article, wherever it comes from (a file, the API): an id the article was given
 * is kept or refused, but one made from its slug moves to the slug's next generation when a
 * deleted article on the same slug had it, so a re-created article is a new item to readers.
 */
import type { StoredArticle } from '../article.js';
import { articleIdFor } from './article-id.js';
import { placementFor } from './placement.js';
import { RetiredIdError, type ArticleInput, type ArticleStore } from './ports.js';

/** Far more deletions of one slug than anyone makes: past this, something is wrong. */
const MAX_GENERATIONS = 1000;

export async function createArticle(store: Pick<ArticleStore, 'create'>, input: ArticleInput, now: Date): Promise<StoredArticle> {
  let article: ArticleInput = { ...input, placed: placementFor(input, now)! };
  for (let generation = 1; ; generation++) {
    try {
      return await store.create(article);
    } catch (error) {
      const madeFromSlug = article.id === articleIdFor(article.slug, generation);
      if (!(error instanceof RetiredIdError) || !madeFromSlug || generation >= MAX_GENERATIONS) throw error;
      article = { ...article, id: articleIdFor(article.slug, generation + 1) };
    }
  }
}
