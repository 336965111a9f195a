/**
 * What DynamoPublishRunStore does beyond the PublishRunStore contract
 * (tests/adapters/publish-run-store.contract.test.ts): a report too large for an item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_REPORT_ABOVE_BYTES, DynamoPublishRunStore } from '../../functions/adapters/dynamo-publish-run-store.js';
import type { PublishRun } from '../../functions/core/publish/ports.js';
import { makePublishReport, makePublishRun } from '../support/factories.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
let store: DynamoPublishRunStore;
beforeAll(async () => {
  aws = await startLocalAws();
  store = new DynamoPublishRunStore(aws.doc, aws.tableName);
});
afterAll(() => aws.close());

describe('DynamoPublishRunStore', () => {
  it('records a finished run whose report is larger than a DynamoDB item holds (stored compressed)', async () => {
    const run = makePublishRun();
    await store.create(run);
    const finished: PublishRun = {
      ...run,
      status: 'succeeded',
      startedAt: '2025-05-01T10:00:01.000Z',
      finishedAt: '2025-05-01T10:00:03.000Z',
      report: makePublishReport(8_000),
    };
    expect(Buffer.byteLength(JSON.stringify(finished.report))).toBeGreaterThan(COMPRESS_REPORT_ABOVE_BYTES);

    await store.update(finished);

    expect(await store.get(run.id)).toEqual(finished);
  });
});
