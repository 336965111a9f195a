/** The publish manifest (object key -> content hash) as items of one partition. Key layout: dynamo-table.ts. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ManifestStore } from '../core/ports.js';
import { batchGet, batchWrite, lastPerKey, queryPages } from './dynamo-batch.js';
import { keys, PK, SK } from './dynamo-table.js';

export class DynamoManifestStore implements ManifestStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(objectKeys: string[]): Promise<Map<string, string>> {
    const items = await batchGet(this.doc, this.tableName, objectKeys.map(keys.manifest), { consistent: true, projection: [SK, 'hash'] });
    return new Map(items.map((item) => [item[SK] as string, item.hash as string]));
  }

  async all(): Promise<Map<string, string>> {
    const entries = new Map<string, string>();
    for await (const items of queryPages(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ProjectionExpression: '#sk, #hash',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK, '#hash': 'hash' },
      ExpressionAttributeValues: { ':pk': keys.manifestPartition },
      ConsistentRead: true,
    })) {
      for (const item of items) entries.set(item[SK] as string, item.hash as string);
    }
    return entries;
  }

  async put(entries: Array<{ key: string; hash: string }>): Promise<void> {
    const unique = lastPerKey(entries, (entry) => entry.key);
    await batchWrite(
      this.doc,
      this.tableName,
      unique.map((entry) => ({ PutRequest: { Item: { ...keys.manifest(entry.key), hash: entry.hash } } })),
    );
  }

  async delete(objectKeys: string[]): Promise<void> {
    const unique = [...new Set(objectKeys)];
    await batchWrite(this.doc, this.tableName, unique.map((key) => ({ DeleteRequest: { Key: keys.manifest(key) } })));
  }
}
