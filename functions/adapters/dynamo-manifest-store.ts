/**
 * The publish manifest (object key -> content hash, or a publish state under _pressrun/): one
 * item per object key, spread over 32 partitions by a hash of the key. Writes are
 * BatchWriteItem, 25 entries a request, each costing one write unit whatever the archive's
 * size, and no partition takes more than its share. Key layout: dynamo-table.ts.
 *
 * Why not fewer, larger items: the manifest used to keep its entries as attributes of 128
 * shard items. Each update rewrote (and was billed for) the whole shard, which grows with the
 * archive, so a full publish cost the square of the archive (about 3 million write units at
 * 100,000 articles, and 51 GB of churn in dynalite), and a shard hits DynamoDB's 400 KB item
 * limit near 300,000 objects. A manifest still in that layout is moved to this one on first
 * use (migrateShards), without overwriting an entry written since.
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ManifestEntry, ManifestStore } from '../core/publish/ports.js';
import { mapWithConcurrency } from '../core/concurrency.js';
import { batchGet, batchWrite, isConditionalCheckFailed, PARALLELISM, queryPages, type Item } from './dynamo-requests.js';
import { keys, PK, SK } from './dynamo-table.js';

/**
 * Each partition key takes 1,000 writes a second: 32 take a full publish's 8 chunks at once
 * (about 500 entries a second each) with room to spare, and listing them all is 32 queries.
 */
export const MANIFEST_PARTITIONS = 32;
/** The former layout's entries: attributes of its shard items, behind this prefix. */
const SHARD_ENTRY_PREFIX = 'k:';

export function manifestPartitionOf(objectKey: string): number {
  // FNV-1a: stable across processes and releases, unlike anything seeded.
  let hash = 0x811c9dc5;
  for (let i = 0; i < objectKey.length; i++) {
    hash ^= objectKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % MANIFEST_PARTITIONS;
}

const entryKey = (objectKey: string) => keys.manifestEntry(manifestPartitionOf(objectKey), objectKey);

/** Keys a page of `unstamped` holds at most: what a sweep keeps in memory at once. */
const UNSTAMPED_PAGE = 1_000;

export class DynamoManifestStore implements ManifestStore {
  /** The former layout moved, once per process, before the first read or write. */
  private ready: Promise<void> | undefined;
  readonly parts = MANIFEST_PARTITIONS;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly pageSize = UNSTAMPED_PAGE,
  ) {}

  async get(objectKeys: string[]): Promise<Map<string, string>> {
    await this.migrated();
    const items = await batchGet(this.doc, this.tableName, [...new Set(objectKeys)].map(entryKey), { consistent: true });
    return new Map(items.map((item) => [item[SK] as string, item.value as string]));
  }

  async stamps(objectKeys: string[]): Promise<Map<string, string | undefined>> {
    await this.migrated();
    const items = await batchGet(this.doc, this.tableName, [...new Set(objectKeys)].map(entryKey), {
      consistent: true,
      projection: [SK, 'stamp'],
    });
    return new Map(items.map((item) => [item[SK] as string, item.stamp as string | undefined]));
  }

  async *unstamped(part: number, stamp: string): AsyncIterable<string[]> {
    await this.migrated();
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: 'attribute_not_exists(#stamp) OR #stamp <> :stamp',
      ProjectionExpression: '#sk',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK, '#stamp': 'stamp' },
      ExpressionAttributeValues: { ':pk': keys.manifestEntryPartition(part), ':stamp': stamp },
      ConsistentRead: true,
      Limit: this.pageSize,
    })) {
      if (items.length > 0) yield items.map((item) => item[SK] as string);
    }
  }

  async all(): Promise<Map<string, string>> {
    await this.migrated();
    const found = new Map<string, string>();
    const partitions = Array.from({ length: MANIFEST_PARTITIONS }, (_, i) => i);
    // Small queries: their round trips, not their work, are the cost, so all at once.
    await mapWithConcurrency(partitions, MANIFEST_PARTITIONS, async (partition) => {
      for await (const items of queryPages(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ProjectionExpression: '#sk, #value',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK, '#value': 'value' },
        ExpressionAttributeValues: { ':pk': keys.manifestEntryPartition(partition) },
        ConsistentRead: true,
      })) {
        for (const item of items) found.set(item[SK] as string, item.value as string);
      }
    });
    return found;
  }

  async put(entries: ManifestEntry[]): Promise<void> {
    await this.migrated();
    // A later entry for the same key wins, as a Map keeps the last value set (and a BatchWriteItem refuses a key twice).
    const latest = new Map(entries.map((entry) => [entry.key, entry]));
    await batchWrite(
      this.doc,
      this.tableName,
      [...latest.values()].map(({ key, value, stamp }) => ({
        PutRequest: { Item: { ...entryKey(key), value, ...(stamp === undefined ? {} : { stamp }) } },
      })),
    );
  }

  async delete(objectKeys: string[]): Promise<void> {
    await this.migrated();
    await batchWrite(
      this.doc,
      this.tableName,
      [...new Set(objectKeys)].map((key) => ({ DeleteRequest: { Key: entryKey(key) } })),
    );
  }

  private migrated(): Promise<void> {
    this.ready ??= migrateShards(this.doc, this.tableName).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}

/**
 * Moves a manifest kept in the former layout (entries as attributes of shard items) to one
 * item per entry: each entry put unless the key has one already (written since, by a publish
 * of this version: it is newer), then the shard deleted. A crash midway leaves shards that the
 * next process moves again, skipping what was moved. Nothing to move is one small query.
 */
export async function migrateShards(doc: DynamoDBDocumentClient, tableName: string): Promise<void> {
  for await (const shards of queryPages(doc, {
    TableName: tableName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': PK },
    ExpressionAttributeValues: { ':pk': keys.manifestShardPartition },
    ConsistentRead: true,
  })) {
    for (const shard of shards) {
      await mapWithConcurrency(entriesOf(shard), PARALLELISM * 4, ([key, value]) => putUnlessNewer(doc, tableName, key, value));
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { [PK]: shard[PK], [SK]: shard[SK] } }));
    }
  }
}

async function putUnlessNewer(doc: DynamoDBDocumentClient, tableName: string, key: string, value: string): Promise<void> {
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...entryKey(key), value },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

function entriesOf(shard: Item): Array<[string, string]> {
  return Object.entries(shard)
    .filter(([name]) => name.startsWith(SHARD_ENTRY_PREFIX))
    .map(([name, value]) => [name.slice(SHARD_ENTRY_PREFIX.length), value as string]);
}
