/**
 * DynamoSendLedger on dynalite holds the SendLedger contract (tests/support/contracts/send-ledger.contract.ts),
 * as does the in-memory fake the core tests use.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoSendLedger } from '../../functions/adapters/dynamo-send-ledger.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
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
