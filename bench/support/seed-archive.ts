/**
 * An archive written straight into the table as the article store lays it out once every
 * article was created and the publish took its changes: the article, its id's claim and its
 * feed memberships, a BatchWriteItem per 25 items. Creating 10,000 articles through the store
 * (six requests each, one after another) took about two of the bench's minutes; this takes
 * seconds. tests/bench/support/seed-archive.test.ts holds the two to the same table.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { membershipKeys, toArticleItem } from '../../functions/adapters/dynamo-article-item.js';
import { batchWrite, type Item } from '../../functions/adapters/dynamo-requests.js';
import { keys } from '../../functions/adapters/dynamo-table.js';
import { storedPlacement } from '../../functions/core/content/placement.js';
import type { ArticleInput } from '../../functions/core/content/ports.js';

/** `slice`: articles laid out and written at a time (the items of 100,000 at once would double the seeding process's memory). */
export async function seedArchive(
  doc: DynamoDBDocumentClient,
  table: string,
  articles: readonly ArticleInput[],
  { slice = 1_000 } = {},
): Promise<void> {
  for (let start = 0; start < articles.length; start += slice) {
    const items = articles.slice(start, start + slice).flatMap(itemsOf);
    await batchWrite(
      doc,
      table,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  }
}

function itemsOf(input: ArticleInput): Item[] {
  const { item, article } = toArticleItem({ ...input, placed: storedPlacement(input) }, 1);
  const memberships = membershipKeys(article).map((key) => ({ ...key, slug: article.slug, articleVersion: article.version }));
  return [item, { ...keys.articleId(article.id), slug: article.slug }, ...memberships];
}
