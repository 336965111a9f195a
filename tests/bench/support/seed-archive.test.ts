import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoArticleStore } from '../../../functions/adapters/dynamo-article-store.js';
import { ensureTable } from '../../../functions/adapters/dynamo-table.js';
import type { Item } from '../../../functions/adapters/dynamo-requests.js';
import type { ArticleInput } from '../../../functions/core/content/ports.js';
import { generateArticles } from '../../../bench/generate-articles.js';
import { seedArchive } from '../../../bench/support/seed-archive.js';
import { startLocalAws, type LocalAws } from '../../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws({ tableName: 'through-the-store' });
  await ensureTable(aws.doc, 'seeded');
});
afterAll(() => aws.close());

async function everyItem(table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await aws.doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => `${a.pk}\u0000${a.sk}`.localeCompare(`${b.pk}\u0000${b.sk}`));
}

describe('seedArchive (the bench seeds its archives straight into the table)', () => {
  it('leaves the table exactly as creating each article through the store, then publishing its changes, does', async () => {
    const articles: ArticleInput[] = generateArticles(40, new Date('2025-06-01T12:00:00Z'));
    // The shapes the layout treats apart: a draft (no memberships), a body stored compressed, a placement later than the date.
    articles[3] = { ...articles[3]!, draft: true };
    articles[5] = { ...articles[5]!, html: `<p>${'long text '.repeat(9_000)}</p>`, text: 'long text '.repeat(9_000) };
    articles[7] = { ...articles[7]!, placed: '2025-06-02T00:00:00.000Z' };

    const store = new DynamoArticleStore(aws.doc, 'through-the-store');
    for (const article of articles) await store.create(article);
    await store.clearChanges(await store.pendingChanges());
    // A few articles at a time, as 10,000 are seeded 1,000 at a time.
    await seedArchive(aws.doc, 'seeded', articles, { slice: 16 });

    const expected = await everyItem('through-the-store');
    expect(expected.length).toBeGreaterThan(articles.length * 3);
    expect(await everyItem('seeded')).toEqual(expected);
  });
});
