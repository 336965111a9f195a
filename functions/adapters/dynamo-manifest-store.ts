/**
 * The publish manifest (object key -> content hash, or a publish state under _pressrun/), sharded over a fixed number of items
 * in one partition. Each object key is an attribute of its shard, so writing 10,000 entries
 * takes about a hundred UpdateItem calls instead of 10,000 item writes, and a publish that
 * touches a few objects reads and updates only their shards. Attribute-level SET and REMOVE
 * are atomic, so concurrent writers never lose each other's entries. Key layout: dynamo-table.ts.
 *
 * Capacity: 128 shards of at most 400 KB hold a few hundred thousand objects.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ManifestEntry, ManifestStore } from '../core/publish/ports.js';
import { batchGet, chunk, PARALLELISM, queryPages, type Item } from './dynamo-requests.js';
import { mapWithConcurrency } from '../core/concurrency.js';
import { keys, PK } from './dynamo-table.js';

export const MANIFEST_SHARDS = 128;
/** Object keys become attribute names behind this prefix, clear of the key attributes. */
const ENTRY_PREFIX = 'k:';
/** Keeps each UpdateExpression well under DynamoDB's 4 KB limit. */
const ENTRIES_PER_UPDATE = 100;

export function manifestShardOf(objectKey: string): number {
  // FNV-1a: stable across processes and releases, unlike anything seeded.
  let hash = 0x811c9dc5;
  for (let i = 0; i < objectKey.length; i++) {
    hash ^= objectKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % MANIFEST_SHARDS;
}

export class DynamoManifestStore implements ManifestStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(objectKeys: string[]): Promise<Map<string, string>> {
    const wanted = new Set(objectKeys);
    const shards = [...new Set(objectKeys.map(manifestShardOf))].map(keys.manifestShard);
    const items = await batchGet(this.doc, this.tableName, shards, { consistent: true });
    const found = new Map<string, string>();
    for (const item of items) for (const [key, value] of entriesOf(item)) if (wanted.has(key)) found.set(key, value);
    return found;
  }

  async all(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PK },
      ExpressionAttributeValues: { ':pk': keys.manifestPartition },
      ConsistentRead: true,
    })) {
      for (const item of items) for (const [key, value] of entriesOf(item)) found.set(key, value);
    }
    return found;
  }

  async put(entries: ManifestEntry[]): Promise<void> {
    // A later entry for the same key wins, as a Map keeps the last value set.
    const latest = new Map(entries.map((entry) => [entry.key, entry.value]));
    await this.updateShards([...latest.keys()], (names) => ({
      UpdateExpression: `SET ${names.map((_, i) => `#k${i} = :h${i}`).join(', ')}`,
      ExpressionAttributeValues: Object.fromEntries(names.map((key, i) => [`:h${i}`, latest.get(key)])),
    }));
  }

  async delete(objectKeys: string[]): Promise<void> {
    await this.updateShards([...new Set(objectKeys)], (names) => ({
      UpdateExpression: `REMOVE ${names.map((_, i) => `#k${i}`).join(', ')}`,
    }));
  }

  private async updateShards(
    objectKeys: string[],
    expression: (keysInUpdate: string[]) => { UpdateExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
  ): Promise<void> {
    const byShard = new Map<number, string[]>();
    for (const key of objectKeys) {
      const shard = manifestShardOf(key);
      byShard.set(shard, [...(byShard.get(shard) ?? []), key]);
    }
    const updates = [...byShard].flatMap(([shard, shardKeys]) => chunk(shardKeys, ENTRIES_PER_UPDATE).map((part) => ({ shard, part })));
    await mapWithConcurrency(updates, PARALLELISM, ({ shard, part }) =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.manifestShard(shard),
          ExpressionAttributeNames: Object.fromEntries(part.map((key, i) => [`#k${i}`, `${ENTRY_PREFIX}${key}`])),
          ...expression(part),
        }),
      ),
    );
  }
}

function entriesOf(item: Item): Array<[string, string]> {
  return Object.entries(item)
    .filter(([name]) => name.startsWith(ENTRY_PREFIX))
    .map(([name, value]) => [name.slice(ENTRY_PREFIX.length), value as string]);
}
