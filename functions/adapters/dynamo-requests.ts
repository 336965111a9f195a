/**
 * The DynamoDB requests the stores share: batch reads and writes, paged queries, conditional puts.
 * DynamoDB may leave part of a batch unprocessed under load; those parts are retried with
 * backoff here so the stores never have to think about it.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../core/concurrency.js';
import { PressrunError } from '../core/errors.js';
import { PK, SK } from './dynamo-table.js';

export type Item = Record<string, unknown>;
export type Key = Record<string, string>;
export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

const MAX_GET_BATCH = 100;
const MAX_WRITE_BATCH = 25;
/** Requests in flight at once per batch operation: enough to be fast, few enough not to be throttled. */
export const PARALLELISM = 8;
const MAX_ATTEMPTS = 8;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export function isConditionalCheckFailed(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Writes `item` unless an item with its key exists; false when one did (nothing was written). */
export async function putIfAbsent(doc: DynamoDBDocumentClient, tableName: string, item: Item): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': PK },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50 * 2 ** attempt, 2_000)));

function exhausted(operation: string, tableName: string): PressrunError {
  return new PressrunError(
    'unavailable',
    `DynamoDB left part of a ${operation} on ${tableName} unprocessed after ${MAX_ATTEMPTS} attempts`,
  );
}

const keyId = (key: Key) => `${key[PK]}\u0000${key[SK]}`;

/** Reads every key (duplicates allowed, missing keys skipped); items come back in no particular order. */
export async function batchGet(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  options: { consistent?: boolean; projection?: string[] } = {},
): Promise<Item[]> {
  const unique = [...new Map(keys.map((key) => [keyId(key), key])).values()];
  const projection = options.projection
    ? {
        ProjectionExpression: options.projection.map((_, i) => `#p${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(options.projection.map((name, i) => [`#p${i}`, name])),
      }
    : {};
  const pages = await mapWithConcurrency(chunk(unique, MAX_GET_BATCH), PARALLELISM, async (batch) => {
    const found: Item[] = [];
    let pending: Key[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === MAX_ATTEMPTS) throw exhausted('BatchGetItem', tableName);
      if (attempt > 0) await backoff(attempt);
      const result = await doc.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistent ?? false, ...projection } },
        }),
      );
      found.push(...((result.Responses?.[tableName] ?? []) as Item[]));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    }
    return found;
  });
  return pages.flat();
}

/** Applies every put and delete; the caller must not name one key twice. */
export async function batchWrite(doc: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  await mapWithConcurrency(chunk(requests, MAX_WRITE_BATCH), PARALLELISM, async (batch) => {
    let pending: readonly WriteRequest[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === MAX_ATTEMPTS) throw exhausted('BatchWriteItem', tableName);
      if (attempt > 0) await backoff(attempt);
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as WriteRequest[] } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  });
}

/** Every page of a query, following LastEvaluatedKey. */
export async function* queryPages(doc: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    yield (result.Items ?? []) as Item[];
    startKey = result.LastEvaluatedKey;
  } while (startKey);
}
