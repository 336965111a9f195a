/**
 * DynamoManifestStore on dynalite holds the ManifestStore contract (tests/support/contracts/manifest-store.contract.ts),
 * as does the in-memory fake the core tests use.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoManifestStore, manifestPartitionOf, migrateShards } from '../../functions/adapters/dynamo-manifest-store.js';
import { ensureTable, keys } from '../../functions/adapters/dynamo-table.js';
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
  // Pages of 3 keys, so a sweep of a part meets many pages, and deletes behind its reads.
  return new DynamoManifestStore(aws.doc, tableName, 3);
});
describeManifestStoreContract('InMemoryManifestStore', async () => new InMemoryManifestStore());

describe('DynamoManifestStore, given a manifest in the former layout (entries as attributes of 128 shard items)', () => {
  async function tableWithShards(entries: Record<string, string>) {
    const tableName = `manifest-${++tables}`;
    await ensureTable(aws.doc, tableName);
    const byShard = new Map<number, Record<string, string>>();
    for (const [key, value] of Object.entries(entries)) {
      const shard = manifestPartitionOf(key);
      byShard.set(shard, { ...byShard.get(shard), [`k:${key}`]: value });
    }
    for (const [shard, attributes] of byShard)
      await aws.doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.manifestShard(shard), ...attributes } }));
    return tableName;
  }

  const former = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`articles/a-${i}/index.html`, `hash-${i}`]));

  it('reads every entry after moving it to one item per key, and deletes the shards', async () => {
    const tableName = await tableWithShards(former);
    const store = new DynamoManifestStore(aws.doc, tableName);
    expect(await store.get(['articles/a-7/index.html', 'articles/none/index.html'])).toEqual(
      new Map([['articles/a-7/index.html', 'hash-7']]),
    );
    expect(await store.all()).toEqual(new Map(Object.entries(former)));
    const { Items } = await aws.doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.manifestShardPartition },
      }),
    );
    expect(Items).toEqual([]);
  });

  it('never overwrites an entry written in the new layout before the move, and a move cut short is finished by the next process', async () => {
    const tableName = await tableWithShards(former);
    // A publish of this version wrote a newer hash before the move reached the key.
    await aws.doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.manifestEntry(manifestPartitionOf('articles/a-1/index.html'), 'articles/a-1/index.html'), value: 'newer' },
      }),
    );
    // A process that died after moving half the shards: they are moved again, skipping what is there.
    await migrateShards(aws.doc, tableName);
    await migrateShards(aws.doc, tableName);
    const all = await new DynamoManifestStore(aws.doc, tableName).all();
    expect(all.get('articles/a-1/index.html')).toBe('newer');
    expect(all.size).toBe(300);
  });
});
