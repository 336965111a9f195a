/**
 * Readers' marks (where each reader's next email starts), the placement each mailed article
 * was first mailed at, and when the last round was planned. Key layout: dynamo-table.ts.
 * Marks are written by the one planner of a send (under its snapshot lease) in batches of 25;
 * an article's first placement is a put-if-absent, so the first send to carry it decides.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../core/concurrency.js';
import type { DeliveryMarks, ReaderMark } from '../core/delivery/ports.js';
import { batchGet, batchWrite, PARALLELISM, putIfAbsent } from './dynamo-requests.js';
import { keys } from './dynamo-table.js';

export class DynamoDeliveryMarks implements DeliveryMarks {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async readers(ids: string[]): Promise<Map<string, ReaderMark>> {
    if (ids.length === 0) return new Map();
    const items = await batchGet(this.doc, this.tableName, ids.map(keys.readerMark), { consistent: true });
    return new Map(items.map((item) => [item.reader as string, item.mark as ReaderMark]));
  }

  async setReaders(marks: Array<{ id: string; mark: ReaderMark }>): Promise<void> {
    const requests = marks.map(({ id, mark }) => ({ PutRequest: { Item: { ...keys.readerMark(id), reader: id, mark } } }));
    await batchWrite(this.doc, this.tableName, requests);
  }

  async offered(articleIds: string[]): Promise<Map<string, string>> {
    if (articleIds.length === 0) return new Map();
    const items = await batchGet(this.doc, this.tableName, articleIds.map(keys.articleOffer), { consistent: true });
    return new Map(items.map((item) => [item.article as string, item.placed as string]));
  }

  async offer(entries: Array<{ id: string; placed: string }>): Promise<void> {
    if (entries.length === 0) return;
    const known = await this.offered(entries.map((e) => e.id));
    const fresh = entries.filter((e) => !known.has(e.id));
    await mapWithConcurrency(fresh, PARALLELISM, (e) =>
      putIfAbsent(this.doc, this.tableName, { ...keys.articleOffer(e.id), article: e.id, placed: e.placed }),
    );
  }

  async lastTick(): Promise<string | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.roundState, ConsistentRead: true }));
    return Item?.lastTick as string | undefined;
  }

  async setLastTick(at: string): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.roundState, lastTick: at } }));
  }
}
