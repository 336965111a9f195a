/**
 * Fixed-window counters in DynamoDB: one item per key and window, counted with an atomic
 * ADD and forgotten by TTL. Shared by every Lambda instance, unlike a counter in memory.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '../core/rate-limit.js';
import { keys, TTL_ATTRIBUTE } from './dynamo-table.js';

export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const windowEnd = windowStart + windowSeconds;
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.rateWindow(key, windowStart),
        UpdateExpression: 'ADD #hits :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#hits': 'hits', '#ttl': TTL_ATTRIBUTE },
        // TTL deletes within days, not seconds; the window's key makes an old item harmless meanwhile.
        ExpressionAttributeValues: { ':one': 1, ':ttl': windowEnd + 60 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const hits = Number(Attributes?.hits ?? 1);
    return { allowed: hits <= limit, retryAfterSeconds: hits <= limit ? 0 : Math.max(1, windowEnd - nowSeconds) };
  }
}
