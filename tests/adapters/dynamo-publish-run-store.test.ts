import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPublishRunStore } from '../../functions/adapters/dynamo-publish-run-store.js';
import { ensureTable } from '../../functions/adapters/dynamo-table.js';
import type { PublishReport, PublishRun } from '../../functions/core/publish/ports.js';
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

let runs = 0;
function makeRun(overrides: Partial<PublishRun> = {}): PublishRun {
  return { id: `run-${++runs}`, status: 'queued', requestedAt: '2025-05-01T10:00:00.000Z', ...overrides };
}

function makeReport(written: number): PublishReport {
  return {
    full: written > 100,
    written: Array.from({ length: written }, (_, i) => `articles/a-fairly-long-article-slug-number-${i}/index.html`),
    unchanged: 12,
    deleted: ['tags/old/feed.xml'],
    digest: { id: '2025-05-01', articles: 3, htmlBytes: 41_000 },
    durationMs: 1_234,
  };
}

describe('DynamoPublishRunStore', () => {
  it('returns a created run as it was given', async () => {
    const store = await freshStore();
    const run = makeRun();

    await store.create(run);

    expect(await store.get(run.id)).toEqual(run);
  });

  it('returns undefined for an unknown run', async () => {
    const store = await freshStore();
    expect(await store.get('no-such-run')).toBeUndefined();
  });

  it('refuses to create a run whose id exists', async () => {
    const store = await freshStore();
    const run = makeRun();
    await store.create(run);

    await expect(store.create({ ...run, status: 'running' })).rejects.toMatchObject({ kind: 'conflict', problems: [{ field: 'id' }] });
    expect(await store.get(run.id)).toEqual(run);
  });

  it.each([
    { size: 'small', written: 3 },
    { size: 'large (stored compressed)', written: 8_000 },
  ])('records a finished run with a $size report', async ({ written }) => {
    const store = await freshStore();
    const run = makeRun();
    await store.create(run);
    const finished: PublishRun = {
      ...run,
      status: 'succeeded',
      startedAt: '2025-05-01T10:00:01.000Z',
      finishedAt: '2025-05-01T10:00:03.000Z',
      report: makeReport(written),
    };

    await store.update(finished);

    expect(await store.get(run.id)).toEqual(finished);
  });

  it('records a failed run, and drops fields the update no longer has', async () => {
    const store = await freshStore();
    const run = makeRun({ status: 'running', startedAt: '2025-05-01T10:00:01.000Z', report: makeReport(1) });
    await store.create(run);
    const { report: _report, ...withoutReport } = run;
    const failed: PublishRun = { ...withoutReport, status: 'failed', error: 'S3 unavailable', finishedAt: '2025-05-01T10:00:02.000Z' };

    await store.update(failed);

    expect(await store.get(run.id)).toEqual(failed);
  });

  it('answers not-found when updating a run that was never created', async () => {
    const store = await freshStore();
    await expect(store.update(makeRun())).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('has no last success until one is set', async () => {
    const store = await freshStore();

    expect(await store.lastSucceededAt()).toBeUndefined();
    await store.setLastSucceededAt('2025-05-01T10:00:03.000Z');
    expect(await store.lastSucceededAt()).toBe('2025-05-01T10:00:03.000Z');
  });

  it('moves the last success forward but never back', async () => {
    const store = await freshStore();

    await store.setLastSucceededAt('2025-05-02T00:00:00.000Z');
    await store.setLastSucceededAt('2025-05-01T00:00:00.000Z');
    expect(await store.lastSucceededAt()).toBe('2025-05-02T00:00:00.000Z');
    await store.setLastSucceededAt('2025-05-03T00:00:00.000Z');
    expect(await store.lastSucceededAt()).toBe('2025-05-03T00:00:00.000Z');
  });
});
