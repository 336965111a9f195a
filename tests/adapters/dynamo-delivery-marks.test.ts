/**
 * DynamoDeliveryMarks on dynalite holds the DeliveryMarks contract (tests/support/contracts/delivery-marks.contract.ts),
 * as does the in-memory fake the core tests use.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoDeliveryMarks } from '../../functions/adapters/dynamo-delivery-marks.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import { describeDeliveryMarksContract } from '../support/contracts/delivery-marks.contract.js';
import { InMemoryDeliveryMarks } from '../support/fakes/delivery-marks.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describeDeliveryMarksContract('DynamoDeliveryMarks', async () => {
  const tableName = `marks-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoDeliveryMarks(aws.doc, tableName);
});
describeDeliveryMarksContract('InMemoryDeliveryMarks', async () => new InMemoryDeliveryMarks());
