/** The PublishRunStore contract, held by DynamoPublishRunStore on dynalite and by the in-memory fake the core tests use. */
import { afterAll, beforeAll } from 'vitest';
import { DynamoPublishRunStore } from '../../functions/adapters/dynamo-publish-run-store.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import { describePublishRunStoreContract } from '../support/contracts/publish-run-store.contract.js';
import { InMemoryPublishRunStore } from '../support/fakes/publish-run-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describePublishRunStoreContract('DynamoPublishRunStore', async () => {
  const tableName = `runs-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoPublishRunStore(aws.doc, tableName);
});

describePublishRunStoreContract('InMemoryPublishRunStore', async () => new InMemoryPublishRunStore());
