/**
 * DynamoSubscriberStore on dynalite holds the SubscriberStore contract (tests/support/contracts/subscriber-store.contract.ts),
 * as does the in-memory fake the core tests use.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoSubscriberStore } from '../../functions/adapters/dynamo-subscriber-store.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import { describeSubscriberStoreContract } from '../support/contracts/subscriber-store.contract.js';
import { InMemorySubscriberStore } from '../support/fakes/subscriber-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describeSubscriberStoreContract('DynamoSubscriberStore', async () => {
  const tableName = `subscribers-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoSubscriberStore(aws.doc, tableName);
});
describeSubscriberStoreContract('InMemorySubscriberStore', async () => new InMemorySubscriberStore());
