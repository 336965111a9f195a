/**
 * ArticleStore in memory, held to DynamoArticleStore by tests/support/contracts/article-store.contract.ts.
 *
 * Every write is atomic here (DynamoDB needs five ordered writes for the same effect), so a
 * crash can only be simulated around a call, not inside one. Change markers behave as the
 * port says: each write touches the article's marker with a fresh token, adding the tags and
 * dates it had before and after; clearChanges removes only markers whose token is unchanged.
 */
import { placedAt, type ArticleHead, type StoredArticle } from '../../../functions/core/article.js';
import { storedPlacement } from '../../../functions/core/content/placement.js';
import {
  RetiredIdError,
  type ArticleInput,
  type ArticlePage,
  type ArticleStore,
  type ChangeMarker,
} from '../../../functions/core/content/ports.js';
import { PressrunError } from '../../../functions/core/errors.js';

/** The largest page `list` and `latest` serve, as DynamoArticleStore. */
const MAX_PAGE = 1_000;
/** Articles per page of `allPublished`. */
const PUBLISHED_PAGE = 100;

interface Marker {
  tags: Set<string>;
  dates: Set<string>;
  token: string;
}

export class InMemoryArticleStore implements ArticleStore {
  private readonly articles = new Map<string, StoredArticle>();
  private readonly markers = new Map<string, Marker>();
  /** Who holds each feed id; a deleted article's stays, retired. */
  private readonly ids = new Map<string, { slug: string; retired: boolean }>();
  private tokens = 0;

  async get(slug: string): Promise<StoredArticle | undefined> {
    const article = this.articles.get(slug);
    return article && structuredClone(article);
  }

  async create(input: ArticleInput): Promise<StoredArticle> {
    if (this.articles.has(input.slug)) {
      throw new PressrunError('conflict', `An article with slug "${input.slug}" already exists`, [
        { field: 'slug', message: 'is already taken' },
      ]);
    }
    const holder = this.ids.get(input.id);
    if (holder?.retired)
      throw new RetiredIdError(input.id, `was the id of the deleted article "${holder.slug}"; a new article needs a new id`);
    if (holder && holder.slug !== input.slug && this.articles.has(holder.slug)) {
      const message = `is the id of the article "${holder.slug}"`;
      throw new PressrunError('conflict', `The id "${input.id}" ${message}`, [{ field: 'id', message }]);
    }
    const article = storedArticle({ ...input, placed: storedPlacement(input) }, 1);
    checkDate(article);
    this.ids.set(article.id, { slug: article.slug, retired: false });
    this.articles.set(article.slug, article);
    this.touch(article.slug, article.tags, [placedAt(article)]);
    return structuredClone(article);
  }

  async update(input: ArticleInput, expectedVersion: number): Promise<StoredArticle> {
    const current = this.articles.get(input.slug);
    if (!current) throw new PressrunError('not-found', `No article with slug "${input.slug}"`);
    if (current.version !== expectedVersion) throw versionConflict(input.slug, expectedVersion, current.version);
    const article = storedArticle({ ...input, placed: storedPlacement(input, current) }, expectedVersion + 1);
    checkDate(article);
    this.articles.set(article.slug, article);
    this.touch(article.slug, [...current.tags, ...article.tags], [placedAt(current), placedAt(article)]);
    return structuredClone(article);
  }

  async delete(slug: string, expectedVersion?: number): Promise<StoredArticle | undefined> {
    const current = this.articles.get(slug);
    if (!current) return undefined;
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw versionConflict(slug, expectedVersion, current.version);
    this.articles.delete(slug);
    this.ids.set(current.id, { slug, retired: true });
    this.touch(slug, current.tags, [placedAt(current)]);
    return structuredClone(current);
  }

  async list(options: { limit: number; cursor?: string }): Promise<ArticlePage> {
    const limit = checkLimit(options.limit);
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const rest = [...this.articles.keys()]
      .sort(byUtf8)
      .filter((slug) => after === undefined || byUtf8(slug, after) > 0)
      .map((slug) => structuredClone(this.articles.get(slug)!));
    if (rest.length <= limit) return { items: rest };
    const items = rest.slice(0, limit);
    return { items, cursor: encodeCursor(items[items.length - 1]!.slug) };
  }

  async latest(options: { limit: number; before: Date; after?: Date; tag?: string }): Promise<StoredArticle[]> {
    const limit = checkLimit(options.limit);
    return this.newestFirst(options.before, options.after, options.tag).slice(0, limit);
  }

  async *allPublished(before: Date): AsyncIterable<ArticleHead[]> {
    const all = this.newestFirst(before, undefined, undefined).map(({ html: _html, text: _text, ...head }) => head);
    for (let i = 0; i < all.length; i += PUBLISHED_PAGE) yield all.slice(i, i + PUBLISHED_PAGE);
  }

  async pendingChanges(): Promise<ChangeMarker[]> {
    return [...this.markers]
      .sort(([a], [b]) => byUtf8(a, b))
      .map(([slug, marker]) => ({ slug, tags: [...marker.tags].sort(), published: [...marker.dates].sort(), token: marker.token }));
  }

  async clearChanges(markers: ChangeMarker[]): Promise<void> {
    for (const marker of markers) {
      if (this.markers.get(marker.slug)?.token === marker.token) this.markers.delete(marker.slug);
    }
  }

  /** Non-draft articles with `after < placed <= before`, latest placed first; ties by slug, descending, as DynamoDB's sort keys order them. */
  private newestFirst(before: Date, after: Date | undefined, tag: string | undefined): StoredArticle[] {
    const upper = sortableIso(before, 'before');
    const lower = after === undefined ? undefined : sortableIso(after, 'after');
    return [...this.articles.values()]
      .filter((article) => !article.draft && (tag === undefined || article.tags.includes(tag)))
      .map((article) => ({ article, key: `${sortableIso(placedAt(article), 'placed')}#${article.slug}` }))
      .filter(({ key }) => key < `${upper}$` && (lower === undefined || key > `${lower}$`))
      .sort((a, b) => byUtf8(b.key, a.key))
      .map(({ article }) => structuredClone(article));
  }

  private touch(slug: string, tags: string[], dates: string[]): void {
    const marker = this.markers.get(slug) ?? { tags: new Set<string>(), dates: new Set<string>(), token: '' };
    for (const tag of tags) marker.tags.add(tag);
    for (const date of dates) marker.dates.add(date);
    marker.token = `change-${++this.tokens}`;
    this.markers.set(slug, marker);
  }
}

/** Exactly the fields of a stored article, without undefined ones, as DynamoArticleStore reads them back. */
function storedArticle(input: ArticleInput, version: number): StoredArticle {
  const article: StoredArticle = structuredClone({
    id: input.id,
    slug: input.slug,
    title: input.title,
    summary: input.summary,
    html: input.html,
    text: input.text,
    published: input.published,
    updated: input.updated,
    authors: input.authors,
    tags: input.tags,
    image: input.image,
    canonicalUrl: input.canonicalUrl,
    draft: input.draft,
    email: input.email,
    version,
    source: input.source,
    sourceHash: input.sourceHash,
    // Kept only when it says more than the date, as DynamoArticleStore does.
    placed: input.placed === input.published ? undefined : input.placed,
  });
  for (const name of Object.keys(article) as Array<keyof StoredArticle>) {
    if (article[name] === undefined) delete article[name];
  }
  return article;
}

/** A published article needs a date its feeds can be ordered by (DynamoArticleStore refuses it when writing its feed memberships). */
function checkDate(article: StoredArticle): void {
  if (!article.draft) sortableIso(article.published, 'published');
}

function versionConflict(slug: string, expected: number, current: number): PressrunError {
  return new PressrunError('conflict', `Article "${slug}" is at version ${current}, not ${expected}`, [
    { field: 'version', message: `expected ${expected} but the current version is ${current}` },
  ]);
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new PressrunError('invalid', `limit must be an integer from 1 to ${MAX_PAGE}`, [
      { field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE}` },
    ]);
  }
  return limit;
}

function sortableIso(value: string | Date, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new PressrunError('invalid', `Not a date: ${String(value)}`, [{ field, message: 'must be an RFC 3339 date' }]);
  }
  return date.toISOString();
}

/** DynamoDB orders string keys by their UTF-8 bytes. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function encodeCursor(lastSlug: string): string {
  return Buffer.from(JSON.stringify({ after: lastSlug }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (decoded && typeof decoded === 'object' && 'after' in decoded && typeof decoded.after === 'string' && decoded.after !== '') {
      return decoded.after;
    }
  } catch {
    // fall through: not base64url JSON
  }
  throw new PressrunError('invalid', 'The cursor is not one this API returned', [{ field: 'cursor', message: 'is not a valid cursor' }]);
}
