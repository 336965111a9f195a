import { randomBytes } from 'node:crypto';
/**
 * DynamoArticleStore holds the ArticleStore contract (tests/support/contracts/article-store.contract.ts),
 * as does the in-memory fake the core tests use; then what only the adapter does: how its items are laid out and read.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoArticleStore } from '../../functions/adapters/dynamo-article-store.js';
import { ensureTable, keys, PK, SK } from '../../functions/adapters/dynamo-table.js';
import type { Article } from '../../functions/core/article.js';
import { describeArticleStoreContract } from '../support/contracts/article-store.contract.js';
import { rejection } from '../support/async.js';
import { makeArticle } from '../support/factories.js';
import { InMemoryArticleStore } from '../support/fakes/article-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
/** A store over a table of its own, so feed queries see only this test's articles. */
async function freshStore(): Promise<{ store: DynamoArticleStore; tableName: string }> {
  const tableName = `articles-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return { store: new DynamoArticleStore(aws.doc, tableName), tableName };
}

describeArticleStoreContract('DynamoArticleStore', async () => (await freshStore()).store);
describeArticleStoreContract('InMemoryArticleStore', async () => new InMemoryArticleStore());

const at = (iso: string) => new Date(iso);
const slugsOf = (articles: Array<Pick<Article, 'slug'>>) => articles.map((article) => article.slug);
const everything = { limit: 10, before: at('2030-01-01T00:00:00Z') };

describe('DynamoArticleStore items', () => {
  it('refuses, as too large (413 naming html), an article no item can hold even compressed', async () => {
    const { store } = await freshStore();
    const incompressible = randomBytes(450 * 1024).toString('base64');
    const error = await rejection(store.create(makeArticle({ html: `<p>${incompressible}</p>`, text: incompressible })));
    expect(error).toMatchObject({ kind: 'too-large', problems: [{ field: 'html' }] });
  });

  it('stores a body larger than a DynamoDB item can hold uncompressed', async () => {
    const { store } = await freshStore();
    const paragraphs = Array.from({ length: 4_000 }, (_, i) => `Paragraph ${i} of a long article about feeds and readers.`);
    const article = makeArticle({ html: paragraphs.map((p) => `<p>${p}</p>`).join('\n'), text: paragraphs.join('\n\n') });
    expect(article.html.length + article.text.length).toBeGreaterThan(400 * 1024);

    await store.create(article);

    expect(await store.get(article.slug)).toEqual({ ...article, version: 1 });
    expect(await store.latest({ limit: 1, before: at('2100-01-01T00:00:00Z') })).toEqual([{ ...article, version: 1 }]);
  });

  it('ignores feed memberships the article no longer matches, as a crash mid-write would leave them', async () => {
    const { store, tableName } = await freshStore();
    const articles = {
      jan: makeArticle({ slug: 'jan', published: '2025-01-15T08:00:00.000Z', tags: ['news', 'feeds'] }),
      feb: makeArticle({ slug: 'feb', published: '2025-02-15T08:00:00.000Z', tags: ['news'] }),
      mar: makeArticle({ slug: 'mar', published: '2025-03-15T08:00:00.000Z', tags: ['feeds'] }),
      aprDraft: makeArticle({ slug: 'apr-draft', published: '2025-04-15T08:00:00.000Z', tags: ['news', 'feeds'], draft: true }),
      may: makeArticle({ slug: 'may', published: '2025-05-15T08:00:00.000Z', tags: ['news', 'feeds'] }),
    };
    for (const article of [articles.mar, articles.jan, articles.may, articles.aprDraft, articles.feb]) await store.create(article);
    const stale = [
      { [PK]: keys.membershipPartition('news'), [SK]: keys.membershipSort(articles.mar.published, articles.mar.slug) },
      { [PK]: keys.membershipPartition(), [SK]: keys.membershipSort('2025-07-01T00:00:00.000Z', articles.jan.slug) },
      { [PK]: keys.membershipPartition(), [SK]: keys.membershipSort('2025-07-01T00:00:00.000Z', 'never-created') },
    ];
    for (const item of stale) {
      await aws.doc.send(new PutCommand({ TableName: tableName, Item: { ...item, slug: item[SK]!.split('#')[1], articleVersion: 1 } }));
    }

    expect(slugsOf(await store.latest(everything))).toEqual(['may', 'mar', 'feb', 'jan']);
    expect(slugsOf(await store.latest({ ...everything, tag: 'news' }))).toEqual(['may', 'feb', 'jan']);
  });
});
