/**
 * What every PublishRunStore does (functions/core/publish/ports.ts), run against
 * DynamoPublishRunStore on dynalite and against the in-memory fake by
 * tests/adapters/publish-run-store.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { PublishRun, PublishRunStore } from '../../../functions/core/publish/ports.js';
import { makePublishReport, makePublishRun } from '../factories.js';

/** @param freshStore an empty store of its own for every test. */
export function describePublishRunStoreContract(name: string, freshStore: () => Promise<PublishRunStore>): void {
  describe(`${name} as a PublishRunStore`, () => {
    it('returns a created run as it was given', async () => {
      const store = await freshStore();
      const run = makePublishRun();

      await store.create(run);

      expect(await store.get(run.id)).toEqual(run);
    });

    it('keeps that a running publish fanned out, and how far it came: what holds the site and spares it the reconciler', async () => {
      const store = await freshStore();
      const run = makePublishRun();
      await store.create(run);
      const running: PublishRun = {
        ...run,
        status: 'running',
        startedAt: '2025-06-01T10:00:01.000Z',
        fannedOutAt: '2025-06-01T10:00:09.000Z',
        progress: { written: 3, planned: 10, at: '2025-06-01T10:00:05.000Z' },
      };

      await store.update(running);

      expect(await store.get(run.id)).toEqual(running);
      expect((await store.unfinished()).find((found) => found.id === run.id)).toEqual(running);
    });

    it('returns undefined for an unknown run', async () => {
      const store = await freshStore();
      expect(await store.get('no-such-run')).toBeUndefined();
    });

    it('refuses to create a run whose id exists', async () => {
      const store = await freshStore();
      const run = makePublishRun();
      await store.create(run);

      await expect(store.create({ ...run, status: 'running' })).rejects.toMatchObject({ kind: 'conflict', problems: [{ field: 'id' }] });
      expect(await store.get(run.id)).toEqual(run);
    });

    it('lets exactly one of two concurrent creates of one run succeed', async () => {
      const store = await freshStore();
      const run = makePublishRun();

      const results = await Promise.allSettled([store.create(run), store.create({ ...run, requestedAt: '2025-05-01T10:00:01.000Z' })]);

      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ kind: 'conflict' });
    });

    it('records a finished run with its report', async () => {
      const store = await freshStore();
      const run = makePublishRun();
      await store.create(run);
      const finished: PublishRun = {
        ...run,
        status: 'succeeded',
        startedAt: '2025-05-01T10:00:01.000Z',
        finishedAt: '2025-05-01T10:00:03.000Z',
        report: makePublishReport(3),
      };

      await store.update(finished);

      expect(await store.get(run.id)).toEqual(finished);
    });

    it('records a failed run, and drops fields the update no longer has', async () => {
      const store = await freshStore();
      const run = makePublishRun({ status: 'running', startedAt: '2025-05-01T10:00:01.000Z', report: makePublishReport(1) });
      await store.create(run);
      const { report: _report, ...withoutReport } = run;
      const failed: PublishRun = { ...withoutReport, status: 'failed', error: 'S3 unavailable', finishedAt: '2025-05-01T10:00:02.000Z' };

      await store.update(failed);

      expect(await store.get(run.id)).toEqual(failed);
    });

    it('answers not-found when updating a run that was never created', async () => {
      const store = await freshStore();
      await expect(store.update(makePublishRun())).rejects.toMatchObject({ kind: 'not-found' });
    });

    it('lists the runs that are queued or running, oldest first, and forgets each once it has finished', async () => {
      const store = await freshStore();
      await store.create({ id: 'b', status: 'queued', requestedAt: '2025-06-01T10:01:00.000Z' });
      await store.create({ id: 'a', status: 'queued', requestedAt: '2025-06-01T10:00:00.000Z' });
      await store.create({ id: 'c', status: 'queued', requestedAt: '2025-06-01T10:02:00.000Z' });
      await store.update({ id: 'a', status: 'running', requestedAt: '2025-06-01T10:00:00.000Z', startedAt: '2025-06-01T10:00:01.000Z' });
      await store.update({ id: 'c', status: 'succeeded', requestedAt: '2025-06-01T10:02:00.000Z', finishedAt: '2025-06-01T10:03:00.000Z' });

      expect((await store.unfinished()).map((run) => [run.id, run.status])).toEqual([
        ['a', 'running'],
        ['b', 'queued'],
      ]);
    });

    it('writes a queued run anew when asked to redrive it, and leaves a run that has started alone', async () => {
      const store = await freshStore();
      await store.create({ id: 'stuck', status: 'queued', requestedAt: '2025-06-01T10:00:00.000Z', full: true });
      await store.create({ id: 'started', status: 'queued', requestedAt: '2025-06-01T09:59:00.000Z' });
      await store.update({
        id: 'started',
        status: 'running',
        requestedAt: '2025-06-01T09:59:00.000Z',
        startedAt: '2025-06-01T10:00:01.000Z',
      });

      expect(await store.redrive('stuck', new Date('2025-06-01T10:05:00.000Z'))).toBe(true);
      expect(await store.redrive('started', new Date('2025-06-01T10:05:00.000Z'))).toBe(false);
      expect(await store.redrive('never', new Date('2025-06-01T10:05:00.000Z'))).toBe(false);

      expect(await store.get('stuck')).toEqual({
        id: 'stuck',
        status: 'queued',
        requestedAt: '2025-06-01T10:00:00.000Z',
        full: true,
        redrivenAt: '2025-06-01T10:05:00.000Z',
      });
      expect((await store.unfinished()).map((run) => run.id)).toEqual(['started', 'stuck']);
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
}
