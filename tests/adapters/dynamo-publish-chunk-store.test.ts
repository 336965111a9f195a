/**
 * DynamoPublishChunkStore on dynalite holds the PublishChunkStore contract
 * (tests/support/contracts/publish-chunk-store.contract.ts), as does the in-memory fake the core tests use.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoPublishChunkStore } from '../../functions/adapters/dynamo-publish-chunk-store.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import { describePublishChunkStoreContract } from '../support/contracts/publish-chunk-store.contract.js';
import { InMemoryPublishChunkStore } from '../support/fakes/publish-chunk-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describePublishChunkStoreContract('DynamoPublishChunkStore', async () => {
  const tableName = `chunks-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoPublishChunkStore(aws.doc, tableName);
});
describePublishChunkStoreContract('InMemoryPublishChunkStore', async () => new InMemoryPublishChunkStore());
