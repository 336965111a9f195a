/**
 * DynamoPublishRunStore on dynalite holds the PublishRunStore contract (tests/support/contracts/publish-run-store.contract.ts),
 * as does the in-memory fake the core tests use; then what only the adapter does: a report too large for an item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_REPORT_ABOVE_BYTES, DynamoPublishRunStore } from '../../functions/adapters/dynamo-publish-run-store.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import type { PublishRun } from '../../functions/core/publish/ports.js';
import { describePublishRunStoreContract } from '../support/contracts/publish-run-store.contract.js';
import { makePublishReport, makePublishRun } from '../support/factories.js';
import { InMemoryPublishRunStore } from '../support/fakes/publish-run-store.js';
import { startLocalAws, type LocalAws } from '../support/local-aws.js';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(() => aws.close());

let tables = 0;
async function freshStore(): Promise<DynamoPublishRunStore> {
  const tableName = `runs-${++tables}`;
  await ensureTable(aws.doc, tableName);
  return new DynamoPublishRunStore(aws.doc, tableName);
}

describePublishRunStoreContract('DynamoPublishRunStore', freshStore);
describePublishRunStoreContract('InMemoryPublishRunStore', async () => new InMemoryPublishRunStore());

describe('DynamoPublishRunStore items', () => {
  it('records a finished run whose report is larger than a DynamoDB item holds (stored compressed)', async () => {
    const store = await freshStore();
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

  it('records the report of a full publish that wrote 240,000 objects, which even compressed passes the item limit: its counts, and the first keys', async () => {
    const store = await freshStore();
    const run = makePublishRun();
    await store.create(run);
    const slug = (i: number) =>
      `articles/${String(i).padStart(6, '0')}-council-${(i * 7919).toString(36)}-votes-on-budget-for-${i % 97}-wards`;
    const written = Array.from({ length: 240_000 }, (_, i) => `${slug(i)}/index.html`);
    const deleted = Array.from({ length: 3 }, (_, i) => `articles/gone-${i}/index.html`);
    const report = { ...makePublishReport(0), full: true, written, deleted };
    const finished: PublishRun = { ...run, status: 'succeeded', finishedAt: '2025-05-01T10:09:00.000Z', report };

    await store.update(finished);

    const stored = (await store.get(run.id))!;
    expect(stored.status).toBe('succeeded');
    expect(stored.report).toMatchObject({ full: true, unchanged: report.unchanged, deleted, listed: { written: 240_000, deleted: 3 } });
    expect(stored.report!.written).toEqual(written.slice(0, stored.report!.written.length));
    expect(stored.report!.written.length).toBeGreaterThanOrEqual(1_000);
  });

  it('keeps the counts of a report that already lists only some of its keys, when cutting its lists again', async () => {
    const store = await freshStore();
    const run = makePublishRun();
    await store.create(run);
    const written = Array.from(
      { length: 240_000 },
      (_, i) => `articles/${String(i).padStart(6, '0')}-a-long-slug-of-some-article/index.html`,
    );
    const report = { ...makePublishReport(0), full: true, written, deleted: [], listed: { written: 1_200_000, deleted: 40 } };

    await store.update({ ...run, status: 'succeeded', finishedAt: '2025-05-01T10:09:00.000Z', report });

    expect((await store.get(run.id))!.report!.listed).toEqual({ written: 1_200_000, deleted: 40 });
  });
});
