/** The ArticleStore contract, held by DynamoArticleStore on dynalite and by the in-memory fake the core tests use. */
import { afterAll, beforeAll } from 'vitest';
import { DynamoArticleStore } from '../../functions/adapters/dynamo-article-store.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import { describeArticleStoreContract } from '../support/contracts/article-store.contract.js';
import { InMemoryArticleStore } from '../support/fakes/article-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describeArticleStoreContract('DynamoArticleStore', async () => {
  const tableName = `articles-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoArticleStore(aws.doc, tableName);
});

describeArticleStoreContract('InMemoryArticleStore', async () => new InMemoryArticleStore());
