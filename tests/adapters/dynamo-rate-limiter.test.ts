/**
 * DynamoRateLimiter on dynalite holds the RateLimiter contract (tests/support/contracts/rate-limiter.contract.ts),
 * as does its in-memory fake.
 */
import { afterAll, beforeAll } from 'vitest';
import { DynamoRateLimiter } from '../../functions/adapters/dynamo-rate-limiter.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import { describeRateLimiterContract } from '../support/contracts/rate-limiter.contract.js';
import { InMemoryRateLimiter } from '../support/fakes/rate-limiter.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
describeRateLimiterContract('DynamoRateLimiter', async () => {
  const tableName = `rates-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoRateLimiter(aws.doc, tableName);
});
describeRateLimiterContract('InMemoryRateLimiter', async () => new InMemoryRateLimiter());
