/**
 * Articles in DynamoDB, with optimistic concurrency, feed memberships for newest-first
 * queries and change markers for incremental publishing. Key layout: dynamo-table.ts.
 *
 * A write touches several items without a transaction, in an order that keeps every crash
 * point harmless:
 *   1. touch the change marker (with the union of old and new tags),
 *   2. add the memberships the new version needs,
 *   3. write the article (conditional: this is the commit point),
 *   4. remove memberships only the old version had,
 *   5. touch the change marker again.
 * A crash before 3 leaves an extra republish and memberships that readers reject because
 * the article does not match them; a crash after 3 leaves stale memberships, also rejected.
 * Touch 5 gives the marker a fresh token, so a publish that read the marker between 1 and 3
 * (and so may have rendered the old article) cannot clear it.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { placedAt, type ArticleHead, type StoredArticle } from '../core/article.js';
import { storedPlacement } from '../core/content/placement.js';
import { PressrunError } from '../core/errors.js';
import { RetiredIdError, type ArticleInput, type ArticlePage, type ArticleStore, type ChangeMarker } from '../core/content/ports.js';
import {
  batchGet,
  batchWrite,
  isConditionalCheckFailed,
  PARALLELISM,
  putIfAbsent,
  queryPages,
  type Item,
  type Key,
} from './dynamo-requests.js';
import { mapWithConcurrency } from '../core/concurrency.js';
import {
  ARTICLE_HEAD_ATTRIBUTES,
  fromArticleHeadItem,
  fromArticleItem,
  membershipHolds,
  membershipKeys,
  toArticleItem,
} from './dynamo-article-item.js';
import { keys, PK, SK, sortableIso } from './dynamo-table.js';

const MAX_PAGE = 1_000;
/** Memberships read per query page while walking a feed; also the BatchGetItem size. */
const FEED_PAGE = 100;

/** How a walk through a feed reads each article: whole, or its head (a sixth of the bytes of the bench's generated articles). */
interface ArticleRead<T> {
  projection?: string[];
  from: (item: Item) => T;
}
const WHOLE: ArticleRead<StoredArticle> = { from: fromArticleItem };
const HEAD: ArticleRead<ArticleHead> = { projection: [SK, ...ARTICLE_HEAD_ATTRIBUTES], from: fromArticleHeadItem };

export class DynamoArticleStore implements ArticleStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(slug: string): Promise<StoredArticle | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.article(slug), ConsistentRead: true }));
    return Item ? fromArticleItem(Item) : undefined;
  }

  async create(input: ArticleInput): Promise<StoredArticle> {
    // Checked first so a plain duplicate leaves no marker or memberships behind.
    if (await this.get(input.slug)) throw slugTaken(input.slug);
    await this.claimId(input.id, input.slug);
    const { item, article } = toArticleItem({ ...input, placed: storedPlacement(input) }, 1);
    await this.touchChange(article.slug, article.tags, [placedAt(article)]);
    await this.addMemberships(article);
    let created: boolean;
    try {
      created = await putIfAbsent(this.doc, this.tableName, item);
    } catch (error) {
      throw tooLargeOr(error);
    }
    if (!created) throw slugTaken(input.slug);
    await this.touchChange(article.slug, article.tags, [placedAt(article)]);
    return article;
  }

  async update(input: ArticleInput, expectedVersion: number): Promise<StoredArticle> {
    const current = await this.get(input.slug);
    if (!current) throw new PressrunError('not-found', `No article with slug "${input.slug}"`);
    if (current.version !== expectedVersion) throw versionConflict(input.slug, expectedVersion, current.version);
    const { item, article } = toArticleItem({ ...input, placed: storedPlacement(input, current) }, expectedVersion + 1);
    const touchedTags = union(current.tags, article.tags);
    const touchedDates = union([placedAt(current)], [placedAt(article)]);
    await this.touchChange(article.slug, touchedTags, touchedDates);
    await this.addMemberships(article);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw await this.conflictAfterFailedWrite(input.slug, expectedVersion);
      throw tooLargeOr(error);
    }
    await this.removeMemberships(current, article);
    await this.touchChange(article.slug, touchedTags, touchedDates);
    return article;
  }

  async delete(slug: string, expectedVersion?: number): Promise<StoredArticle | undefined> {
    const current = await this.get(slug);
    if (!current) return undefined;
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw versionConflict(slug, expectedVersion, current.version);
    await this.touchChange(slug, current.tags, [placedAt(current)]);
    let deleted: StoredArticle;
    try {
      const { Attributes } = await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.article(slug),
          ReturnValues: 'ALL_OLD',
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
      deleted = fromArticleItem(Attributes as Item);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Without an expected version the caller only wanted it gone, and someone else obliged.
      if (expectedVersion === undefined) return undefined;
      throw await this.conflictAfterFailedWrite(slug, expectedVersion);
    }
    await this.removeMemberships(deleted, undefined);
    await this.retireId(deleted.id, slug);
    await this.touchChange(slug, union(current.tags, deleted.tags), union([placedAt(current)], [placedAt(deleted)]));
    return deleted;
  }

  /**
   * Takes the feed id for `slug`, or fails with a 'conflict' naming who has it: a live article,
   * or one deleted since (a retired id). A claim left by a create that crashed before storing
   * its article, for this slug or one that never came to exist, is taken over.
   */
  private async claimId(id: string, slug: string): Promise<void> {
    if (await putIfAbsent(this.doc, this.tableName, { ...keys.articleId(id), slug })) return;
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.articleId(id), ConsistentRead: true }));
    const holder = Item as { slug?: string; retired?: boolean } | undefined;
    if (holder?.retired) throw idTaken(id, `was the id of the deleted article "${holder.slug}"; a new article needs a new id`, 'retired');
    if (holder?.slug !== slug && holder?.slug !== undefined && (await this.get(holder.slug))) {
      throw idTaken(id, `is the id of the article "${holder.slug}"`, 'taken');
    }
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.articleId(id), slug } }));
  }

  /** Keeps the deleted article's id from ever being given to another article. */
  private async retireId(id: string, slug: string): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.articleId(id), slug, retired: true } }));
  }

  async list(options: { limit: number; cursor?: string }): Promise<ArticlePage> {
    const limit = checkLimit(options.limit);
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const items: StoredArticle[] = [];
    // One item more than asked for tells whether another page exists, so the last page has no cursor.
    let startKey: Record<string, unknown> | undefined = after === undefined ? undefined : keys.article(after);
    do {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':pk': keys.articlePartition },
          ConsistentRead: true,
          Limit: limit + 1 - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(result.Items ?? []).map(fromArticleItem));
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length <= limit);
    if (items.length <= limit) return { items };
    const page = items.slice(0, limit);
    return { items: page, cursor: encodeCursor(page[page.length - 1]!.slug) };
  }

  async latest(options: { limit: number; before: Date; after?: Date; tag?: string }): Promise<StoredArticle[]> {
    const limit = checkLimit(options.limit);
    const found: StoredArticle[] = [];
    for await (const page of this.walkFeed(WHOLE, options.tag, options.before, options.after, () =>
      Math.min(FEED_PAGE, limit - found.length),
    )) {
      found.push(...page);
      if (found.length >= limit) break;
    }
    return found.slice(0, limit);
  }

  async *allPublished(before: Date): AsyncIterable<ArticleHead[]> {
    for await (const page of this.walkFeed(HEAD, undefined, before, undefined, () => FEED_PAGE)) {
      if (page.length > 0) yield page;
    }
  }

  async pendingChanges(): Promise<ChangeMarker[]> {
    const markers: ChangeMarker[] = [];
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': keys.changePartition },
      ConsistentRead: true,
    })) {
      for (const item of items) {
        const dates = item.dates as Set<string> | undefined;
        markers.push({
          slug: item[SK] as string,
          tags: [...((item.tags as Set<string> | undefined) ?? [])].sort(),
          // A marker without dates predates them; the publish then rebuilds every archive page of its feeds.
          ...(dates ? { published: [...dates].sort() } : {}),
          token: item.token as string,
        });
      }
    }
    return markers;
  }

  async clearChanges(markers: ChangeMarker[]): Promise<void> {
    await mapWithConcurrency(markers, PARALLELISM, async (marker) => {
      try {
        await this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.change(marker.slug),
            ConditionExpression: '#token = :token',
            ExpressionAttributeNames: { '#token': 'token' },
            ExpressionAttributeValues: { ':token': marker.token },
          }),
        );
      } catch (error) {
        // Touched again since it was read (or already gone): it stays for the next publish.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    });
  }

  /**
   * Latest placed first through a feed's memberships, `after < placed <= before`, yielding the
   * articles of each page that still match their membership.
   */
  private async *walkFeed<T extends ArticleHead>(
    read: ArticleRead<T>,
    tag: string | undefined,
    before: Date,
    after: Date | undefined,
    pageSize: () => number,
  ): AsyncGenerator<T[]> {
    // Sort keys are "<iso>#<slug>" and '$' sorts right after '#', so "<iso>$" lies after every
    // sort key of that instant and before every later one.
    const upper = `${sortableIso(before, 'before')}$`;
    const lower = after === undefined ? undefined : `${sortableIso(after, 'after')}$`;
    if (lower !== undefined && lower >= upper) return;
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: lower === undefined ? '#pk = :pk AND #sk < :upper' : '#pk = :pk AND #sk BETWEEN :lower AND :upper',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: {
            ':pk': keys.membershipPartition(tag),
            ':upper': upper,
            ...(lower === undefined ? {} : { ':lower': lower }),
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: pageSize(),
          ExclusiveStartKey: startKey,
        }),
      );
      yield await this.articlesOf(read, result.Items ?? [], tag);
      startKey = result.LastEvaluatedKey;
    } while (startKey);
  }

  private async articlesOf<T extends ArticleHead>(read: ArticleRead<T>, memberships: Item[], tag: string | undefined): Promise<T[]> {
    if (memberships.length === 0) return [];
    const items = await batchGet(
      this.doc,
      this.tableName,
      memberships.map((membership) => keys.article(membership.slug as string)),
      { consistent: true, ...(read.projection ? { projection: read.projection } : {}) },
    );
    const bySlug = new Map(items.map((item) => [item[SK] as string, read.from(item)]));
    return memberships
      .map((membership) => bySlug.get(membership.slug as string))
      .filter((article, i) => membershipHolds(memberships[i]!, article, tag));
  }

  private async addMemberships(article: StoredArticle): Promise<void> {
    const items = membershipKeys(article).map((key) => ({ ...key, slug: article.slug, articleVersion: article.version }));
    await batchWrite(
      this.doc,
      this.tableName,
      items.map((item) => ({ PutRequest: { Item: item } })),
    );
  }

  /** Removes memberships `previous` had and `next` lacks, unless a newer version has since claimed them. */
  private async removeMemberships(previous: StoredArticle, next: StoredArticle | undefined): Promise<void> {
    const keep = new Set((next ? membershipKeys(next) : []).map(keyId));
    const stale = membershipKeys(previous).filter((key) => !keep.has(keyId(key)));
    await mapWithConcurrency(stale, PARALLELISM, async (key) => {
      try {
        await this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key,
            ConditionExpression: '#v <= :v',
            ExpressionAttributeNames: { '#v': 'articleVersion' },
            ExpressionAttributeValues: { ':v': previous.version },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    });
  }

  /**
   * Records that `slug` changed, which feeds it was or is in, and every `published` date it had
   * (so a publish finds the archive pages that held it); every touch gets a fresh token.
   */
  private async touchChange(slug: string, tags: string[], published: string[]): Promise<void> {
    const adds = [...(tags.length > 0 ? ['#tags :tags'] : []), ...(published.length > 0 ? ['#dates :dates'] : [])];
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.change(slug),
        // ADD on a string set is an atomic union, so concurrent touches never lose a tag or a date.
        UpdateExpression: `SET #token = :token${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
        ExpressionAttributeNames: {
          '#token': 'token',
          ...(tags.length > 0 ? { '#tags': 'tags' } : {}),
          ...(published.length > 0 ? { '#dates': 'dates' } : {}),
        },
        ExpressionAttributeValues: {
          ':token': randomUUID(),
          ...(tags.length > 0 ? { ':tags': new Set(tags) } : {}),
          ...(published.length > 0 ? { ':dates': new Set(published) } : {}),
        },
      }),
    );
  }

  private async conflictAfterFailedWrite(slug: string, expectedVersion: number): Promise<PressrunError> {
    // Read rather than ReturnValuesOnConditionCheckFailure: dynalite ignores it, and the
    // document client would hand the item back still marshalled.
    const current = await this.get(slug);
    if (!current)
      return new PressrunError('conflict', `Article "${slug}" was deleted meanwhile`, [
        { field: 'version', message: 'the article no longer exists' },
      ]);
    return versionConflict(slug, expectedVersion, current.version);
  }
}

const keyId = (key: Key) => `${key[PK]}\u0000${key[SK]}`;
const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

function idTaken(id: string, message: string, kind: 'retired' | 'taken'): PressrunError {
  return kind === 'retired'
    ? new RetiredIdError(id, message)
    : new PressrunError('conflict', `The id "${id}" ${message}`, [{ field: 'id', message }]);
}

function slugTaken(slug: string): PressrunError {
  return new PressrunError('conflict', `An article with slug "${slug}" already exists`, [{ field: 'slug', message: 'is already taken' }]);
}

function versionConflict(slug: string, expected: number, current: number): PressrunError {
  return new PressrunError('conflict', `Article "${slug}" is at version ${current}, not ${expected}`, [
    { field: 'version', message: `expected ${expected} but the current version is ${current}` },
  ]);
}

function tooLargeOr(error: unknown): unknown {
  if (error instanceof Error && error.name === 'ValidationException' && /size/i.test(error.message)) {
    return new PressrunError(
      'too-large',
      'The article is too large to store',
      [{ field: 'html', message: 'the article body is too large, even compressed' }],
      { cause: error },
    );
  }
  return error;
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new PressrunError('invalid', `limit must be an integer from 1 to ${MAX_PAGE}`, [
      { field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE}` },
    ]);
  }
  return limit;
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
