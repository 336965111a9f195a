/**
 * DynamoMailClaims on dynalite holds the MailClaims contract (tests/support/contracts/mail-claims.contract.ts),
 * as does the in-memory fake the core tests use; then what only the adapter does: how long a claim is kept.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMailClaims } from '../../functions/adapters/dynamo-mail-claims.js';
import { ensureTable, keys } from '../../functions/adapters/dynamo-table.js';
import { describeMailClaimsContract } from '../support/contracts/mail-claims.contract.js';
import { InMemoryMailClaims } from '../support/fakes/mail-claims.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

const NOW = new Date('2025-06-01T08:00:00.000Z');
let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describeMailClaimsContract('DynamoMailClaims', async () => {
  const tableName = `claims-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoMailClaims(aws.doc, tableName);
});
describeMailClaimsContract('InMemoryMailClaims', async () => new InMemoryMailClaims());

describe('DynamoMailClaims items', () => {
  it('keeps a claim longer than SQS keeps a message (14 days), then lets TTL forget it', async () => {
    const claims = new DynamoMailClaims(aws.doc, aws.tableName);
    await claims.claim('kept', NOW);
    const { Item } = await aws.doc.send(new GetCommand({ TableName: aws.tableName, Key: keys.mailClaim('kept') }));
    const days = (Item!.expiresAt * 1000 - NOW.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(14);
    expect(days).toBeLessThan(31);
  });
});
