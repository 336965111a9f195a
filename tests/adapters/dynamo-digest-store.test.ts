/**
 * DynamoDigestStore on dynalite holds the DigestStore contract (tests/support/contracts/digest-store.contract.ts),
 * as does the in-memory fake the core tests use.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDigestStore } from '../../functions/adapters/dynamo-digest-store.js';
import { ensureTable, keys } from '../../functions/adapters/dynamo-table.js';
import { describeDigestStoreContract } from '../support/contracts/digest-store.contract.js';
import { makeDigest } from '../support/factories.js';
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

describe('DynamoDigestStore items', () => {
  it('lets DynamoDB forget a send’s content two months after it was made (a round makes many), and keeps every digest', async () => {
    const store = new DynamoDigestStore(aws.doc, aws.tableName);
    const digest = makeDigest('2025-05-01T08:00:00.000Z');
    await store.create(digest);
    await store.create({ ...makeDigest('2025-05-02T08:00:00.000Z'), id: 'c-ttl', createdAt: '2025-05-02T08:00:00.000Z', kind: 'content' });
    const item = async (id: string) => (await aws.doc.send(new GetCommand({ TableName: aws.tableName, Key: keys.digest(id) }))).Item!;
    expect(((await item('c-ttl')).expiresAt * 1000 - Date.parse('2025-05-02T08:00:00.000Z')) / 86_400_000).toBe(60);
    expect((await item(digest.id)).expiresAt).toBeUndefined();
  });
});
