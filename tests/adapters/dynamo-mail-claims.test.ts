import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMailClaims } from '../../functions/adapters/dynamo-mail-claims.js';
import { keys } from '../../functions/adapters/dynamo-table.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');
let aws: LocalAws;
let claims: DynamoMailClaims;

beforeAll(async () => {
  aws = await startLocalAws();
  claims = new DynamoMailClaims(aws.doc, aws.tableName);
});
afterAll(() => aws.close());

describe('DynamoMailClaims', () => {
  it('lets exactly one of many concurrent callers claim a mail', async () => {
    const taken = await Promise.all(Array.from({ length: 8 }, () => claims.claim('concurrent', NOW)));
    expect(taken.filter(Boolean)).toHaveLength(1);
  });

  it('lets a mail be claimed again once released', async () => {
    expect(await claims.claim('released', NOW)).toBe(true);
    await claims.release('released');
    expect(await claims.claim('released', NOW)).toBe(true);
    expect(await claims.claim('released', NOW)).toBe(false);
  });

  it('keeps a claim longer than SQS keeps a message (14 days), then lets TTL forget it', async () => {
    await claims.claim('kept', NOW);
    const { Item } = await aws.doc.send(new GetCommand({ TableName: aws.tableName, Key: keys.mailClaim('kept') }));
    const days = (Item!.expiresAt * 1000 - NOW.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(14);
    expect(days).toBeLessThan(31);
  });
});
