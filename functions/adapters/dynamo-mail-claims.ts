/**
 * Claims on queued mails: one conditional put per mail. Kept two weeks, longer than SQS
 * keeps a message (at most 14 days), so no redelivery outlives its claim; then TTL forgets it.
 */
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MailClaims } from '../core/delivery/ports.js';
import { putIfAbsent } from './dynamo-requests.js';
import { keys, TTL_ATTRIBUTE } from './dynamo-table.js';

const KEEP_SECONDS = 15 * 86_400;

export class DynamoMailClaims implements MailClaims {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  claim(mailId: string, now: Date): Promise<boolean> {
    const item = {
      ...keys.mailClaim(mailId),
      claimedAt: now.toISOString(),
      [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
    };
    return putIfAbsent(this.doc, this.tableName, item);
  }

  async release(mailId: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.mailClaim(mailId) }));
  }
}
