/**
 * DynamoSendLedger on dynalite holds the SendLedger contract (tests/support/contracts/send-ledger.contract.ts),
 * as does the in-memory fake the core tests use.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSendLedger } from '../../functions/adapters/dynamo-send-ledger.js';
import { ensureTable, keys } from '../../functions/adapters/dynamo-table.js';
import { describeSendLedgerContract } from '../support/contracts/send-ledger.contract.js';
import { InMemorySendLedger } from '../support/fakes/send-ledger.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describeSendLedgerContract('DynamoSendLedger', async () => {
  const tableName = `ledger-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoSendLedger(aws.doc, tableName);
});
describeSendLedgerContract('InMemorySendLedger', async () => new InMemorySendLedger());

describe('DynamoSendLedger with batches written before they kept their size and tally', () => {
  it('counts such a batch from its results, beside batches that keep them', async () => {
    await ensureTable(aws.doc, 'ledger-legacy');
    const ledger = new DynamoSendLedger(aws.doc, 'ledger-legacy');
    const digestId = '2025-06-01-legacy';
    const at = '2025-06-01T12:00:00.000Z';
    // As the ledger wrote a batch until now: recipients and results, nothing counted.
    await aws.doc.send(
      new PutCommand({
        TableName: 'ledger-legacy',
        Item: {
          ...keys.sendBatch(digestId, 1),
          digestId,
          batch: 1,
          status: 'sending',
          claimId: 'old-worker',
          leaseUntil: at,
          claims: 1,
          recipients: [
            { id: 'a', email: 'a@example.com' },
            { id: 'b', email: 'b@example.com' },
            { id: 'c', email: 'c@example.com' },
          ],
          results: { a: { status: 'sent', at }, b: { status: 'attempting', at } },
        },
      }),
    );
    await ledger.addBatch({ digestId, batch: 2, recipients: [{ id: 'd', email: 'd@example.com' }] });

    expect(await ledger.batchStates(digestId)).toEqual([
      { batch: 1, status: 'sending', leaseUntil: at, size: 3, tally: { sent: 1, failed: 0, suppressed: 0, unknown: 0 } },
      { batch: 2, status: 'pending', size: 1, tally: { sent: 0, failed: 0, suppressed: 0, unknown: 0 } },
    ]);
  });
});
