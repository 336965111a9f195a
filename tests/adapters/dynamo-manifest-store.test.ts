/**
 * DynamoManifestStore on dynalite holds the ManifestStore contract (tests/support/contracts/manifest-store.contract.ts),
 * as does the in-memory fake the core tests use.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoManifestStore } from '../../functions/adapters/dynamo-manifest-store.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import { describeManifestStoreContract } from '../support/contracts/manifest-store.contract.js';
import { InMemoryManifestStore } from '../support/fakes/manifest-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describeManifestStoreContract('DynamoManifestStore', async () => {
  const tableName = `manifest-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoManifestStore(aws.doc, tableName);
});
describeManifestStoreContract('InMemoryManifestStore', async () => new InMemoryManifestStore());
