/** Where articles are kept, and the changes a publish has yet to carry out. */
import type { Article, ArticleHead, StoredArticle } from '../article.js';
import { PressrunError } from '../errors.js';

/** An article's fields as written by a caller; the store adds the version. */
export type ArticleInput = Article & Pick<StoredArticle, 'source' | 'sourceHash' | 'placed'>;

/**
 * A note that an article changed since the last publish, with every tag it had before
 * or after the change, so a publish can rebuild exactly what the change touched.
 */
export interface ChangeMarker {
  slug: string;
  tags: string[];
  /**
   * Every `published` date the article had before or after the change, so a publish can find
   * the archive pages that held it. Absent on markers written before markers carried dates.
   */
  published?: string[];
  /** Opaque; clearing a marker succeeds only if it was not touched again meanwhile. */
  token: string;
}

export interface ArticlePage {
  items: StoredArticle[];
  cursor?: string;
}

/**
 * A create refused because its feed id belonged to an article that was deleted: feed readers
 * remember ids, so an id is never given to a second article.
 */
export class RetiredIdError extends PressrunError {
  constructor(
    readonly id: string,
    message: string,
  ) {
    super('conflict', `The id "${id}" ${message}`, [{ field: 'id', message }]);
    this.name = 'RetiredIdError';
  }
}

export interface ArticleStore {
  get(slug: string): Promise<StoredArticle | undefined>;
  /**
   * Fails with a 'conflict' PressrunError when the slug exists or another article has the id,
   * and with a RetiredIdError when a deleted article had the id.
   */
  create(article: ArticleInput): Promise<StoredArticle>;
  /** Fails with a 'conflict' PressrunError unless the stored version equals expectedVersion. */
  update(article: ArticleInput, expectedVersion: number): Promise<StoredArticle>;
  /** Returns the deleted article; 'conflict' on a version mismatch when expectedVersion is given. Its id is retired for good. */
  delete(slug: string, expectedVersion?: number): Promise<StoredArticle | undefined>;
  /** Every article, drafts included, ordered by slug, a page at a time. */
  list(options: { limit: number; cursor?: string }): Promise<ArticlePage>;
  /**
   * Non-draft articles placed (StoredArticle.placed) in `after < placed <= before`, latest
   * placed first, at most `limit`, optionally only those carrying `tag`.
   */
  latest(options: { limit: number; before: Date; after?: Date; tag?: string }): Promise<StoredArticle[]>;
  /**
   * Every non-draft article placed at or before `before`, latest placed first, a page at a time:
   * their heads (no html or text), as a full publish plans from them and builds from reads of its own.
   */
  allPublished(before: Date): AsyncIterable<ArticleHead[]>;
  /** Changes not yet published. */
  pendingChanges(): Promise<ChangeMarker[]>;
  /** Removes markers whose token is unchanged; a marker touched again stays for the next publish. */
  clearChanges(markers: ChangeMarker[]): Promise<void>;
}
