/**
 * DynamoDigestStore on dynalite holds the DigestStore contract (tests/support/contracts/digest-store.contract.ts),
 * as does the in-memory fake the core tests use.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoDigestStore } from '../../functions/adapters/dynamo-digest-store.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import { describeDigestStoreContract } from '../support/contracts/digest-store.contract.js';
import { InMemoryDigestStore } from '../support/fakes/digest-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describeDigestStoreContract('DynamoDigestStore', async () => {
  const tableName = `digests-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoDigestStore(aws.doc, tableName);
});
describeDigestStoreContract('InMemoryDigestStore', async () => new InMemoryDigestStore());
